import { builder } from '../builder.js';
import { ProcessorRoleEnum, ProcessorStatusEnum, TransferSafeguardEnum } from '../common/enums.js';
import { LocalizedString, localizedText, translationsOf } from '../common/localized.js';

const DataLocation = builder.objectRef<{ country: string; locality: string | null }>('DataLocation').implement({
  description: 'Where a processor keeps or processes the data.',
  fields: (t) => ({
    country: t.expose('country', { type: 'CountryCode' }),
    locality: t.exposeString('locality', {
      nullable: true,
      description: 'A city, where the notice names one.',
    }),
  }),
});

const orgDefaultLocale = {
  organisation: { select: { defaultLocale: true } },
} as const;
const locationsInOrder = {
  dataLocations: { orderBy: [{ country: 'asc' }, { locality: 'asc' }] },
} as const;

export const ProcessorRef = builder.prismaNode('Processor', {
  id: { field: 'id' },
  description: 'A service provider that processes personal data for the organisation.',
  fields: (t) => ({
    key: t.exposeString('key', {
      description: 'Stable key within the organisation, as in its manifest (e.g. "zendesk").',
    }),
    revision: t.exposeInt('revision', {
      description: 'Bumped by every change; pass it as expectedRevision when updating.',
    }),
    name: t.exposeString('name'),
    legalName: t.exposeString('legalName', { nullable: true }),
    website: t.expose('website', { type: 'URL', nullable: true }),
    role: t.expose('role', { type: ProcessorRoleEnum }),
    service: t.string({
      description: 'What the processor does for the organisation, in the best available locale.',
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      select: orgDefaultLocale,
      resolve: (p, args, ctx, info) =>
        localizedText(p.service, ctx, info, args.locale, p.organisation.defaultLocale) ?? '',
    }),
    serviceTranslations: t.field({
      type: [LocalizedString],
      resolve: (p) => translationsOf(p.service),
    }),
    headquartersCountry: t.expose('headquartersCountry', {
      type: 'CountryCode',
      nullable: true,
    }),
    dataLocations: t.field({
      type: ['CountryCode'],
      description: 'The countries where the data is kept, without duplicates.',
      select: locationsInOrder,
      resolve: (p) => [...new Set(p.dataLocations.map((l) => l.country))],
    }),
    dataLocationDetails: t.field({
      type: [DataLocation],
      select: locationsInOrder,
      resolve: (p) => p.dataLocations,
    }),
    certifications: t.exposeStringList('certifications'),
    transferSafeguard: t.expose('transferSafeguard', {
      type: TransferSafeguardEnum,
    }),
    agreementInPlace: t.exposeBoolean('agreementInPlace', {
      nullable: true,
      description: 'Whether a data-processing agreement is in place; null when the notice does not say.',
    }),
    status: t.expose('status', { type: ProcessorStatusEnum }),
    activeFrom: t.expose('activeFrom', { type: 'Date', nullable: true }),
    activeUntil: t.expose('activeUntil', { type: 'Date', nullable: true }),
    organisation: t.relation('organisation'),
  }),
});
