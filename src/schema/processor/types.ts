import { builder } from '../builder.js';
import { Address, addressOf } from '../common/address.js';
import {
  DataPlaceEnum,
  PlatformEnum,
  ProcessorRoleEnum,
  ProcessorStatusEnum,
  TransferSafeguardEnum,
} from '../common/enums.js';
import { factFields } from '../common/fact.js';
import { LocalizedString, localizedText, translationsOf } from '../common/localized.js';

type Place = { place: 'COUNTRY' | 'USER_DEVICE'; country: string | null; locality: string | null };

export const DataLocation = builder.objectRef<Place>('DataLocation').implement({
  description: 'Where data is kept or processed: a country (and city), or only the user’s device.',
  fields: (t) => ({
    place: t.field({ type: DataPlaceEnum, resolve: (l) => l.place }),
    country: t.expose('country', { type: 'CountryCode', nullable: true, description: 'Null on the user’s device.' }),
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
  dataLocations: { orderBy: [{ place: 'asc' }, { country: 'asc' }, { locality: 'asc' }] },
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
    address: t.field({ type: Address, nullable: true, resolve: addressOf }),
    platforms: t.field({
      type: [PlatformEnum],
      description: 'The platforms it serves only (a push service on Android); empty: all.',
      resolve: (p) => p.platforms,
    }),
    headquartersCountry: t.expose('headquartersCountry', {
      type: 'CountryCode',
      nullable: true,
    }),
    dataLocations: t.field({
      type: ['CountryCode'],
      description:
        'The countries where the data is kept, without duplicates (the user’s device is in dataLocationDetails).',
      select: locationsInOrder,
      resolve: (p) => [...new Set(p.dataLocations.flatMap((l) => (l.country ? [l.country] : [])))],
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
    ...factFields(t, (p: { validFrom: string | null }) => p),
    organisation: t.relation('organisation'),
  }),
});
