// Organisation.privacy: the GDPR Art. 13/14 facts beyond entities, contacts,
// processors and retention, typed for readers. Localised texts follow the
// request's locale like every other localised field.
import { factsHoldingOn, type PrivacyFacts } from '../../domain/privacy-facts.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder, type Types } from '../builder.js';
import { Address } from '../common/address.js';
import { PlatformEnum } from '../common/enums.js';
import { factFields, ProvenanceRef, type FactLike } from '../common/fact.js';
import { localizedText } from '../common/localized.js';
import { DataLocation } from '../processor/types.js';
import { loadExportModel } from '../../exports/model.js';
import { dayOf, organisationTimeline } from '../../domain/validity.js';
import { tiltDocument } from '../../exports/tilt.js';

/** A part of the facts together with the organisation's default locale, for localised fields. */
interface In<T> {
  v: T;
  dl: string;
}
const within = <T>(v: T, dl: string): In<T> => ({ v, dl });

type Localized = Record<string, string> | undefined;
type Fields<T> = PothosSchemaTypes.ObjectFieldBuilder<Types, In<T>>;
const localeArg = <T>(t: Fields<T>) => ({ locale: t.arg({ type: 'Locale', required: false }) });

/** A localised text of the facts, read in the request's locale. */
function localized<T>(t: Fields<T>, pick: (v: T) => Localized, description?: string) {
  return t.string({
    description,
    args: localeArg(t),
    resolve: (p, args, ctx, info) => localizedText(pick(p.v), ctx, info, args.locale, p.dl) ?? '',
  });
}

/** The same, for a text the facts may lack. */
function optionalLocalized<T>(t: Fields<T>, pick: (v: T) => Localized, description?: string) {
  return t.string({
    nullable: true,
    description,
    args: localeArg(t),
    resolve: (p, args, ctx, info) => localizedText(pick(p.v), ctx, info, args.locale, p.dl),
  });
}

type P = PrivacyFacts;

/** validFrom, validUntil, source and fieldSources of an entry. */
const facts = <T extends FactLike>(t: Fields<T>) => factFields(t, (p: In<T>) => p.v);

const addressShape = (a: NonNullable<P['recipients'][number]['address']>) => ({
  street: a.street ?? null,
  postalCode: a.postalCode ?? null,
  locality: a.locality ?? null,
  region: a.region ?? null,
  country: a.country,
});

const Purpose = builder.objectRef<In<P['purposes'][number]>>('Purpose').implement({
  description: 'Why data is processed, and on which legal basis (Art. 13(1)(c)).',
  fields: (t) => ({
    key: t.string({ resolve: (p) => p.v.key }),
    description: localized(t, (v) => v.description),
    legalBasis: t.string({
      nullable: true,
      deprecationReason: 'A purpose may rest on several bases (Art. 6 and Art. 9): use legalBases.',
      description: 'The first of its legal bases; null when the notice names none.',
      resolve: (p) => p.v.legalBases[0] ?? null,
    }),
    legalBases: t.stringList({
      description: 'W3C DPV GDPR legal bases, e.g. "A6-1-b" (contract), with an Art. 9 condition ("A9-2-h") beside it.',
      resolve: (p) => p.v.legalBases,
    }),
    legitimateInterest: optionalLocalized(t, (v) => v.legitimateInterest, 'The interest pursued, for A6-1-f.'),
    legalReference: t.string({
      nullable: true,
      description: 'The national law it rests on, as the notice cites it.',
      resolve: (p) => p.v.legalReference ?? null,
    }),
    status: t.string({
      description: 'ACTIVE, or PLANNED: announced, not yet happening.',
      resolve: (p) => p.v.status,
    }),
    consentWithdrawal: optionalLocalized(t, (v) => v.consentWithdrawal, 'How consent for this purpose is withdrawn.'),
    dataCategories: t.stringList({
      description: 'Keys of the data categories used.',
      resolve: (p) => p.v.dataCategories,
    }),
    platforms: t.field({ type: [PlatformEnum], resolve: (p) => p.v.platforms }),
    dataLocations: t.field({
      type: [DataLocation],
      description: 'Where it happens: countries, or only the user’s device.',
      resolve: (p) =>
        p.v.dataLocations.map((l) =>
          'place' in l
            ? { place: 'USER_DEVICE' as const, country: null, locality: null }
            : { place: 'COUNTRY' as const, country: l.country, locality: l.locality ?? null },
        ),
    }),
    ...facts(t),
  }),
});

const DataCategory = builder.objectRef<In<P['dataCategories'][number]>>('PersonalDataCategory').implement({
  fields: (t) => ({
    key: t.string({ resolve: (p) => p.v.key }),
    name: localized(t, (v) => v.name),
    special: t.boolean({ description: 'A special category (Art. 9).', resolve: (p) => p.v.special }),
    anonymised: t.boolean({
      description: 'Anonymised: no longer personal data.',
      resolve: (p) => p.v.anonymised,
    }),
    ...facts(t),
  }),
});

const DataSubject = builder.objectRef<In<P['dataSubjects'][number]>>('DataSubjectCategory').implement({
  fields: (t) => ({
    key: t.string({ resolve: (p) => p.v.key }),
    name: localized(t, (v) => v.name),
    ...facts(t),
  }),
});

const Recipient = builder.objectRef<In<P['recipients'][number]>>('RecipientCategory').implement({
  description: 'Recipients beside the named processors (Art. 13(1)(e)).',
  fields: (t) => ({
    key: t.string({ resolve: (p) => p.v.key }),
    kind: t.string({ description: 'AFFILIATES, RESELLERS, AUTHORITIES, …', resolve: (p) => p.v.kind }),
    description: localized(t, (v) => v.description),
    name: t.string({ nullable: true, resolve: (p) => p.v.name ?? null }),
    address: t.field({
      type: Address,
      nullable: true,
      resolve: (p) => (p.v.address ? addressShape(p.v.address) : null),
    }),
    legalReference: t.string({ nullable: true, resolve: (p) => p.v.legalReference ?? null }),
    platforms: t.field({ type: [PlatformEnum], resolve: (p) => p.v.platforms }),
    ...facts(t),
  }),
});

const Transfer = builder.objectRef<In<P['transfers'][number]>>('ThirdCountryTransfer').implement({
  description: 'A transfer outside the EEA and its safeguard (Art. 13(1)(f)).',
  fields: (t) => ({
    key: t.string({ resolve: (p) => p.v.key }),
    country: t.field({
      type: 'CountryCode',
      nullable: true,
      deprecationReason: 'A transfer may name several countries, or none: use countries and otherThirdCountries.',
      resolve: (p) => p.v.countries[0] ?? null,
    }),
    countries: t.field({ type: ['CountryCode'], resolve: (p) => p.v.countries }),
    otherThirdCountries: t.boolean({
      description: 'The notice adds "or another third country" without naming it.',
      resolve: (p) => p.v.otherThirdCountries,
    }),
    platforms: t.field({ type: [PlatformEnum], resolve: (p) => p.v.platforms }),
    recipient: t.string({ resolve: (p) => p.v.recipient }),
    safeguard: t.string({
      description:
        'DPV GDPR code: A45-3 adequacy, A46-2-c standard clauses, A46-2-b binding corporate rules, …; NONE or UNKNOWN.',
      resolve: (p) => p.v.safeguard,
    }),
    description: optionalLocalized(t, (v) => v.description),
    activeUntil: t.field({
      type: 'Date',
      nullable: true,
      deprecationReason: 'Use validUntil, which may also name a notice version.',
      resolve: (p) => (p.v.validUntil && /^\d{4}-\d{2}-\d{2}$/.test(p.v.validUntil) ? p.v.validUntil : null),
    }),
    ...facts(t),
  }),
});

const RightChannel = builder.objectRef<In<P['rights'][number]['channels'][number]>>('RightChannel').implement({
  description: 'One way to exercise a right: a contact, an online portal, the app, the customer’s administrator, …',
  fields: (t) => ({
    kind: t.string({
      description: 'CONTACT, ONLINE_PORTAL, IN_APP, ADMINISTRATOR, POST or OTHER.',
      resolve: (p) => p.v.kind,
    }),
    contactKey: t.string({ nullable: true, resolve: (p) => p.v.contact ?? null }),
    url: t.field({ type: 'URL', nullable: true, resolve: (p) => p.v.url ?? null }),
    description: optionalLocalized(t, (v) => v.description, 'Who it is for, or what to do.'),
  }),
});

const Right = builder.objectRef<In<P['rights'][number]>>('DataSubjectRight').implement({
  description: 'A right the notice offers and how to exercise it.',
  fields: (t) => ({
    right: t.string({
      description: 'DPV GDPR code: A15 access, A16 rectification, A17 erasure, …, A77 complaint.',
      resolve: (p) => p.v.right,
    }),
    description: optionalLocalized(t, (v) => v.description),
    contactKey: t.string({ nullable: true, resolve: (p) => p.v.contact ?? null }),
    url: t.field({ type: 'URL', nullable: true, resolve: (p) => p.v.url ?? null }),
    answerTerm: t.field({ type: 'Duration', nullable: true, resolve: (p) => p.v.answerTerm ?? null }),
    extendable: t.boolean({ nullable: true, resolve: (p) => p.v.extendable ?? null }),
    identificationRequired: t.boolean({ nullable: true, resolve: (p) => p.v.identificationRequired ?? null }),
    channels: t.field({ type: [RightChannel], resolve: (p) => p.v.channels.map((c) => within(c, p.dl)) }),
    dataCategories: t.stringList({
      description: 'Only for these data categories (empty: all).',
      resolve: (p) => p.v.dataCategories,
    }),
    excludedDataCategories: t.stringList({
      description: 'Not for these (anonymised data).',
      resolve: (p) => p.v.excludedDataCategories,
    }),
    limitation: optionalLocalized(t, (v) => v.limitation, 'How the right is limited.'),
    ...facts(t),
  }),
});

const Source = builder.objectRef<In<P['sources'][number]>>('DataSource').implement({
  description: 'Where data not collected from the person comes from (Art. 14(2)(f)).',
  fields: (t) => ({
    dataCategory: t.string({ resolve: (p) => p.v.dataCategory }),
    description: localized(t, (v) => v.description),
    publiclyAvailable: t.boolean({ resolve: (p) => p.v.publiclyAvailable }),
    ...facts(t),
  }),
});

type Cookies = NonNullable<P['cookies']>;
const CookieCategory = builder.objectRef<In<Cookies['categories'][number]>>('CookieCategory').implement({
  fields: (t) => ({
    category: t.string({
      description: 'NECESSARY, PREFERENCES, STATISTICS, MARKETING or SOCIAL_MEDIA.',
      resolve: (p) => p.v.category,
    }),
    description: optionalLocalized(t, (v) => v.description),
    ...facts(t),
  }),
});

const CookiePolicy = builder.objectRef<In<Cookies>>('CookiePolicy').implement({
  fields: (t) => ({
    consentTool: t.string({ nullable: true, resolve: (p) => p.v.consentTool ?? null }),
    policyUrl: t.field({ type: 'URL', nullable: true, resolve: (p) => p.v.policyUrl ?? null }),
    categories: t.field({ type: [CookieCategory], resolve: (p) => p.v.categories.map((c) => within(c, p.dl)) }),
    provenance: t.field({ type: ProvenanceRef, resolve: (p) => p.v }),
  }),
});

export const PrivacyFactsRef = builder.objectRef<In<P> & { revision: number; id: string }>('PrivacyFacts').implement({
  description:
    'The GDPR Art. 13/14 facts of an organisation beyond its entities, contacts, processors and retention rules.',
  fields: (t) => ({
    id: t.id({
      description: 'The facts’ identity, for client caches that normalise by id.',
      resolve: (p) => encodeGlobalID('PrivacyFacts', p.id),
    }),
    revision: t.int({ resolve: (p) => p.revision }),
    purposes: t.field({ type: [Purpose], resolve: (p) => p.v.purposes.map((x) => within(x, p.dl)) }),
    dataCategories: t.field({ type: [DataCategory], resolve: (p) => p.v.dataCategories.map((x) => within(x, p.dl)) }),
    dataSubjects: t.field({ type: [DataSubject], resolve: (p) => p.v.dataSubjects.map((x) => within(x, p.dl)) }),
    recipients: t.field({ type: [Recipient], resolve: (p) => p.v.recipients.map((x) => within(x, p.dl)) }),
    transfers: t.field({ type: [Transfer], resolve: (p) => p.v.transfers.map((x) => within(x, p.dl)) }),
    rights: t.field({ type: [Right], resolve: (p) => p.v.rights.map((x) => within(x, p.dl)) }),
    sources: t.field({ type: [Source], resolve: (p) => p.v.sources.map((x) => within(x, p.dl)) }),
    provisionRequirement: t.string({
      nullable: true,
      description: 'STATUTORY, CONTRACTUAL, CONTRACT_PREREQUISITE, VOLUNTARY or MIXED (Art. 13(2)(e)).',
      resolve: (p) => p.v.provision?.requirement ?? null,
    }),
    provisionConsequences: optionalLocalized(t, (v) => v.provision?.consequences),
    provisionProvenance: t.field({
      type: ProvenanceRef,
      nullable: true,
      description: 'Where the provision facts come from (a requirement the project inferred is PROJECT).',
      resolve: (p) => p.v.provision ?? null,
    }),
    automatedDecisionProvenance: t.field({
      type: ProvenanceRef,
      nullable: true,
      resolve: (p) => p.v.automatedDecisions ?? null,
    }),
    securityProvenance: t.field({ type: ProvenanceRef, nullable: true, resolve: (p) => p.v.security ?? null }),
    automatedDecisionMaking: t.boolean({ nullable: true, resolve: (p) => p.v.automatedDecisions?.used ?? null }),
    profiling: t.boolean({ nullable: true, resolve: (p) => p.v.automatedDecisions?.profiling ?? null }),
    automatedDecisionDescription: optionalLocalized(t, (v) => v.automatedDecisions?.description),
    cookies: t.field({
      type: CookiePolicy,
      nullable: true,
      resolve: (p) => (p.v.cookies ? within(p.v.cookies, p.dl) : null),
    }),
    minimumAge: t.int({ nullable: true, resolve: (p) => p.v.minimumAge ?? null }),
    securityMeasures: t.stringList({
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      resolve: (p, args, ctx, info) =>
        (p.v.security?.measures ?? []).map((m) => localizedText(m, ctx, info, args.locale, p.dl) ?? ''),
    }),
    certifications: t.stringList({ resolve: (p) => p.v.security?.certifications ?? [] }),
  }),
});

builder.prismaObjectField('Organisation', 'privacy', (t) =>
  t.field({
    type: PrivacyFactsRef,
    nullable: true,
    description: 'Every entry, with the bounds it holds between; with `on`, only the entries that hold on that day.',
    args: { on: t.arg({ type: 'Date', required: false }) },
    select: { id: true, privacyProfile: { select: { id: true, facts: true, revision: true } } },
    resolve: async (org, args, ctx) => {
      if (!org.privacyProfile) return null;
      let facts = org.privacyProfile.facts as unknown as P;
      if (args.on) facts = factsHoldingOn(facts, await organisationTimeline(ctx.prisma, org.id), dayOf(args.on));
      return { ...within(facts, org.defaultLocale), id: org.privacyProfile.id, revision: org.privacyProfile.revision };
    },
  }),
);

builder.prismaObjectFields('Organisation', (t) => ({
  tilt: t.field({
    type: 'JSONObject',
    nullable: true,
    description: 'This organisation as a TILT document (also at GET /organisations/<slug>/tilt.json).',
    args: { locale: t.arg({ type: 'Locale', required: false }) },
    resolve: async (org, args, ctx) => {
      const model = await loadExportModel(ctx.prisma, org.slug, ctx.now());
      return model ? tiltDocument(model, args.locale ?? model.defaultLocale) : null;
    },
  }),
}));
