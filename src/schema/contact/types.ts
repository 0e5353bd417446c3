import { builder } from '../builder.js';
import { Address, addressOf } from '../common/address.js';
import { ContactKindEnum } from '../common/enums.js';
import { factFields } from '../common/fact.js';
import { localizedText } from '../common/localized.js';

export const ContactRef = builder.prismaNode('Contact', {
  id: { field: 'id' },
  description: 'A typed way to reach someone about privacy.',
  fields: (t) => ({
    key: t.exposeString('key', {
      description: 'Stable key within the organisation, as in its manifest (e.g. "zendesk").',
    }),
    revision: t.exposeInt('revision', {
      description: 'Bumped by every change; pass it as expectedRevision when updating.',
    }),
    kind: t.expose('kind', { type: ContactKindEnum }),
    name: t.exposeString('name', { nullable: true }),
    department: t.exposeString('department', { nullable: true }),
    email: t.expose('email', { type: 'EmailAddress', nullable: true }),
    phone: t.expose('phone', {
      type: 'PhoneNumber',
      nullable: true,
      description: 'E.164.',
    }),
    url: t.expose('url', { type: 'URL', nullable: true }),
    address: t.field({ type: Address, nullable: true, resolve: addressOf }),
    inApp: t.string({
      nullable: true,
      description: 'Where to find it in the app ("Settings › Privacy"), for a contact with no address of its own.',
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      select: { organisation: { select: { defaultLocale: true } } },
      resolve: (c, args, ctx, info) => localizedText(c.inApp, ctx, info, args.locale, c.organisation.defaultLocale),
    }),
    note: t.string({
      nullable: true,
      description: 'Opening hours, languages, what the channel is for.',
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      select: { organisation: { select: { defaultLocale: true } } },
      resolve: (c, args, ctx, info) => localizedText(c.note, ctx, info, args.locale, c.organisation.defaultLocale),
    }),
    activeFrom: t.expose('activeFrom', { type: 'Date', nullable: true }),
    activeUntil: t.expose('activeUntil', { type: 'Date', nullable: true }),
    ...factFields(t, (c: { validFrom: string | null }) => c),
    controllerEntity: t.relation('controllerEntity', { nullable: true }),
    organisation: t.relation('organisation'),
  }),
});
