// OtherController: an organisation responsible for a connected service itself
// (neither a processor nor one of the organisation's own entities).
import { builder } from '../builder.js';
import { Address, addressOf } from '../common/address.js';
import { OtherControllerRoleEnum, PlatformEnum } from '../common/enums.js';
import { factFields } from '../common/fact.js';
import { LocalizedString, localizedText, translationsOf } from '../common/localized.js';

const orgDefaultLocale = {
  organisation: { select: { defaultLocale: true } },
} as const;

export const OtherControllerRef = builder.prismaNode('OtherController', {
  id: { field: 'id' },
  description:
    'Another controller: responsible for a connected service itself (a health insurer under social law, a platform’s own service).',
  fields: (t) => ({
    revision: t.exposeInt('revision', {
      description: 'Bumped by every change; pass it as expectedRevision when updating.',
    }),
    key: t.exposeString('key'),
    name: t.exposeString('name', {
      description: 'May name a kind ("your health insurer") rather than one organisation.',
    }),
    legalName: t.exposeString('legalName', { nullable: true }),
    role: t.expose('role', { type: OtherControllerRoleEnum }),
    service: t.string({
      description: 'The connected service it is responsible for, in the best available locale.',
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      select: orgDefaultLocale,
      resolve: (c, args, ctx, info) =>
        localizedText(c.service, ctx, info, args.locale, c.organisation.defaultLocale) ?? '',
    }),
    serviceTranslations: t.field({ type: [LocalizedString], resolve: (c) => translationsOf(c.service) }),
    legalReference: t.exposeString('legalReference', {
      nullable: true,
      description: 'The law that makes it responsible, as the notice cites it.',
    }),
    website: t.expose('website', { type: 'URL', nullable: true }),
    privacyPolicyUrl: t.expose('privacyPolicyUrl', { type: 'URL', nullable: true }),
    email: t.expose('email', { type: 'EmailAddress', nullable: true }),
    phone: t.expose('phone', { type: 'PhoneNumber', nullable: true }),
    address: t.field({ type: Address, nullable: true, resolve: addressOf }),
    platforms: t.field({ type: [PlatformEnum], resolve: (c) => c.platforms }),
    activeFrom: t.expose('activeFrom', { type: 'Date', nullable: true }),
    activeUntil: t.expose('activeUntil', { type: 'Date', nullable: true }),
    ...factFields(t, (c: { validFrom: string | null }) => c),
    organisation: t.relation('organisation'),
  }),
});

builder.prismaObjectFields('Organisation', (t) => ({
  otherControllers: t.relation('otherControllers', {
    description: 'Other controllers of connected services, by key.',
    query: { orderBy: { key: 'asc' } },
  }),
}));
