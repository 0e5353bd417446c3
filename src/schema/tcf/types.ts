// The IAB TCF Global Vendor List as typed facts: each vendor (an organisation
// of source TCF) with its purposes, legal bases (DPV-coded), retention, cookie
// facts and policy URLs per language; the list versions, their definitions in
// the list's own words per locale, a vendor's history across versions and the
// difference between two versions. Reads only; the import is in mutations.ts.
import type { GraphQLResolveInfo } from 'graphql';
import type { Prisma } from '../../db/generated/client.js';
import { OrganisationSource, TcfDefinitionKind, TcfLegalBasis } from '../../db/generated/enums.js';
import type { TcfVendorFacts } from '../../domain/tcf-vendor.js';
import { resolveLocale } from '../../locale.js';
import { diffLists, type DeclarationChange, type DeclarationState, type VendorDelta } from '../../tcf/diff.js';
import { LIST_LOCALE } from '../../tcf/map.js';
import { daysDuration, dpvLegalBasis, otherBasis, secondsDuration } from '../../tcf/query.js';
import { builder, type Types } from '../builder.js';
import { LocalizedString, localizedText, translationsOf } from '../common/localized.js';
import { wantedLocales, type Context } from '../context.js';
import { pageSize } from '../pagination.js';

export const OrganisationSourceEnum = builder.enumType(OrganisationSource, {
  name: 'OrganisationSource',
  description:
    'Where an organisation’s facts come from: CURATED (manifests, mutations) or TCF (the IAB TCF Global Vendor List).',
});
export const TcfLegalBasisEnum = builder.enumType(TcfLegalBasis, {
  name: 'TcfLegalBasis',
  description: 'The TCF’s legal bases: CONSENT (DPV A6-1-a) and LEGITIMATE_INTEREST (A6-1-f).',
});
export const TcfDefinitionKindEnum = builder.enumType(TcfDefinitionKind, { name: 'TcfDefinitionKind' });
const DeclarationChangeKindEnum = builder.enumType('TcfDeclarationChangeKind', {
  values: ['ADDED', 'REMOVED', 'CHANGED'] as const,
});

// ---------------------------------------------------------------------------
// Definitions: loaded once per request (a few dozen rows), so a name costs no query.

type DefinitionRow = Prisma.TcfDefinitionGetPayload<object>;
const definitionCache = new WeakMap<Context, Promise<Map<string, DefinitionRow>>>();

function definitions(ctx: Context): Promise<Map<string, DefinitionRow>> {
  let found = definitionCache.get(ctx);
  if (!found) {
    found = ctx.prisma.tcfDefinition.findMany().then((rows) => new Map(rows.map((r) => [`${r.kind}:${r.tcfId}`, r])));
    definitionCache.set(ctx, found);
  }
  return found;
}

async function definitionName(
  ctx: Context,
  info: GraphQLResolveInfo,
  kind: TcfDefinitionKind,
  tcfId: number,
  locale: string | null | undefined,
) {
  const d = (await definitions(ctx)).get(`${kind}:${tcfId}`);
  return d ? localizedText(d.name, ctx, info, locale, LIST_LOCALE) : null;
}

export const TcfDefinitionRef = builder.prismaNode('TcfDefinition', {
  id: { field: 'id' },
  description:
    'A purpose, special purpose, feature, special feature or data category in the list’s own words: English from the list, other languages from its translation files.',
  fields: (t) => ({
    kind: t.expose('kind', { type: TcfDefinitionKindEnum }),
    tcfId: t.exposeInt('tcfId', { description: 'Its id in the list (purpose 7, …).' }),
    name: t.string({
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      resolve: (d, args, ctx, info) => localizedText(d.name, ctx, info, args.locale, LIST_LOCALE) ?? '',
    }),
    description: t.string({
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      resolve: (d, args, ctx, info) => localizedText(d.description, ctx, info, args.locale, LIST_LOCALE) ?? '',
    }),
    descriptionLegal: t.string({
      nullable: true,
      description: 'v2 lists: the legal text beside the description.',
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      resolve: (d, args, ctx, info) => localizedText(d.descriptionLegal, ctx, info, args.locale, LIST_LOCALE),
    }),
    illustrations: t.stringList({
      description: 'v2.2+ lists: examples of the processing.',
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      resolve: (d, args, ctx, info) => {
        const map = (d.illustrations ?? {}) as Record<string, string[]>;
        const chosen = resolveLocale(wantedLocales(ctx, info, args.locale), Object.keys(map), LIST_LOCALE);
        return chosen ? (map[chosen.resolvedLocale] ?? []) : [];
      },
    }),
    nameTranslations: t.field({ type: [LocalizedString], resolve: (d) => translationsOf(d.name) }),
    specificationVersion: t.exposeInt('specVersion', {
      description: 'The gvlSpecificationVersion of the list its texts come from.',
    }),
  }),
});

// ---------------------------------------------------------------------------
// A vendor's declarations.

const localeArg = { locale: { type: 'Locale', required: false } } as const;

// A purpose row with its vendor's standard retention, read in the vendor's own query (no join per purpose).
type PurposeRow = Prisma.TcfVendorPurposeGetPayload<object> & { standardRetentionDays: number | null };
type SpecialPurposeRow = Prisma.TcfVendorSpecialPurposeGetPayload<object> & { standardRetentionDays: number | null };
const days = (p: Retained) => p.retentionDays ?? p.standardRetentionDays;
const RETENTION =
  'How long the vendor keeps data for it, in days as the list gives it ("P365D"): its own period, else its standard retention; null when neither is given.';
const STANDARD = 'True when the period is the vendor’s standard retention, not one it gives for this purpose.';

type Retained = { retentionDays: number | null; standardRetentionDays: number | null };

/** A purpose's retention, the same for purposes and special purposes. */
const retentionFields = <Row extends Retained>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, Row>) => ({
  retention: t.field({
    type: 'Duration',
    nullable: true,
    description: RETENTION,
    resolve: (p) => daysDuration(days(p)),
  }),
  retentionDays: t.int({ nullable: true, resolve: days }),
  retentionIsStandard: t.boolean({ description: STANDARD, resolve: (p) => p.retentionDays === null }),
});

const TcfVendorPurposeRef = builder.objectRef<PurposeRow>('TcfVendorPurpose').implement({
  description:
    'A purpose the vendor declares, the legal basis it declares it under, and how long it keeps data for it.',
  fields: (t) => ({
    tcfId: t.exposeInt('tcfId', { description: 'The TCF purpose id (1–11).' }),
    name: t.string({
      nullable: true,
      description: 'The purpose’s name in the list’s words, in the request’s locale.',
      args: { locale: t.arg(localeArg.locale) },
      resolve: (p, args, ctx, info) => definitionName(ctx, info, 'PURPOSE', p.tcfId, args.locale),
    }),
    legalBasis: t.field({
      type: TcfLegalBasisEnum,
      description: 'Declared under `purposes` (CONSENT) or `legIntPurposes` (LEGITIMATE_INTEREST): the default.',
      resolve: (p) => p.legalBasis,
    }),
    dpvLegalBasis: t.string({
      description: 'The same as a W3C DPV GDPR legal basis: "A6-1-a" (consent) or "A6-1-f" (legitimate interests).',
      resolve: (p) => dpvLegalBasis[p.legalBasis],
    }),
    flexible: t.exposeBoolean('flexible', {
      description: 'Listed in `flexiblePurposes`: a publisher may have the vendor use the other basis.',
    }),
    possibleLegalBases: t.field({
      type: [TcfLegalBasisEnum],
      description: 'The declared basis, and the other one when the purpose is flexible.',
      resolve: (p) => (p.flexible ? [p.legalBasis, otherBasis(p.legalBasis)] : [p.legalBasis]),
    }),
    ...retentionFields(t),
  }),
});

const TcfVendorSpecialPurposeRef = builder.objectRef<SpecialPurposeRow>('TcfVendorSpecialPurpose').implement({
  description: 'A special purpose: processed on legitimate interest, with no right to object in the consent tool.',
  fields: (t) => ({
    tcfId: t.exposeInt('tcfId'),
    name: t.string({
      nullable: true,
      args: { locale: t.arg(localeArg.locale) },
      resolve: (p, args, ctx, info) => definitionName(ctx, info, 'SPECIAL_PURPOSE', p.tcfId, args.locale),
    }),
    dpvLegalBasis: t.string({ description: 'Always "A6-1-f" (legitimate interests).', resolve: () => 'A6-1-f' }),
    ...retentionFields(t),
  }),
});

const TcfFeatureRef = builder.objectRef<{ kind: TcfDefinitionKind; tcfId: number }>('TcfDeclaredDefinition').implement({
  description: 'A feature, special feature or data category the vendor declares.',
  fields: (t) => ({
    kind: t.field({ type: TcfDefinitionKindEnum, resolve: (d) => d.kind }),
    tcfId: t.exposeInt('tcfId'),
    name: t.string({
      nullable: true,
      args: { locale: t.arg(localeArg.locale) },
      resolve: (d, args, ctx, info) => definitionName(ctx, info, d.kind, d.tcfId, args.locale),
    }),
  }),
});

interface VendorUrls {
  locale?: string;
  privacy?: string;
  legIntClaim?: string;
}
const TcfVendorUrlsRef = builder.objectRef<VendorUrls & { isFallback?: boolean }>('TcfVendorUrls').implement({
  description: 'The vendor’s privacy policy and legitimate-interest claim in one language.',
  fields: (t) => ({
    locale: t.field({
      type: 'Locale',
      nullable: true,
      description: 'Null for a v2 list’s policy URL, whose language the list does not give.',
      resolve: (u) => u.locale ?? null,
    }),
    privacy: t.field({ type: 'URL', nullable: true, resolve: (u) => u.privacy ?? null }),
    legIntClaim: t.field({ type: 'URL', nullable: true, resolve: (u) => u.legIntClaim ?? null }),
    isFallback: t.boolean({
      description: 'With policyUrls(locale:): true when the language asked for is not the one served.',
      resolve: (u) => u.isFallback ?? false,
    }),
  }),
});

/** The URLs in the best language for the request (its own argument, the enclosing locale, Accept-Language, English). */
function bestUrls(urls: VendorUrls[], wanted: string[]): (VendorUrls & { isFallback: boolean }) | null {
  const localised = urls.filter((u) => u.locale);
  const chosen = resolveLocale(
    wanted,
    localised.map((u) => u.locale!),
    LIST_LOCALE,
  );
  if (chosen) {
    return { ...localised.find((u) => u.locale === chosen.resolvedLocale)!, isFallback: chosen.isFallback };
  }
  const any = urls[0];
  return any ? { ...any, isFallback: wanted.length > 0 } : null;
}

type DiffShape = {
  from: Prisma.TcfVendorListGetPayload<object>;
  to: Prisma.TcfVendorListGetPayload<object>;
  diff: Awaited<ReturnType<typeof diffLists>>;
};
const TcfVendorListDiffRef = builder.objectRef<DiffShape>('TcfVendorListDiff');

export const TcfVendorListRef = builder.prismaNode('TcfVendorList', {
  id: { field: 'id' },
  description: 'One imported version of the IAB TCF Global Vendor List.',
  fields: (t) => ({
    specificationVersion: t.exposeInt('specVersion', { description: 'gvlSpecificationVersion: 2 or 3.' }),
    version: t.exposeInt('version', { description: 'vendorListVersion.' }),
    policyVersion: t.exposeInt('policyVersion', { description: 'tcfPolicyVersion.' }),
    lastUpdated: t.expose('lastUpdated', { type: 'DateTime' }),
    importedAt: t.expose('importedAt', { type: 'DateTime' }),
    vendorCount: t.exposeInt('vendorCount', { description: 'Vendors in the list, those marked deleted included.' }),
    diff: t.field({
      type: TcfVendorListDiffRef,
      nullable: true,
      description:
        'What changed from an earlier (or later) imported version to this one: vendors added, removed (deleted or gone) and changed, with their purposes’ changes. Null when that version was not imported.',
      args: {
        from: t.arg.int({ required: true, description: 'The other version’s vendorListVersion.' }),
        fromSpecificationVersion: t.arg.int({
          required: false,
          description: 'Its specification; default: this one’s.',
        }),
      },
      resolve: async (list, args, ctx) => {
        const from = await ctx.prisma.tcfVendorList.findUnique({
          where: {
            specVersion_version: { specVersion: args.fromSpecificationVersion ?? list.specVersion, version: args.from },
          },
        });
        return from ? { from, to: list, diff: await diffLists(ctx.prisma, from.id, list.id) } : null;
      },
    }),
  }),
});

// ---------------------------------------------------------------------------
// Diffs and history.

const DeclarationStateRef = builder.objectRef<DeclarationState>('TcfDeclarationState').implement({
  fields: (t) => ({
    legalBasis: t.field({ type: TcfLegalBasisEnum, nullable: true, resolve: (s) => s.legalBasis }),
    flexible: t.exposeBoolean('flexible'),
    retention: t.field({ type: 'Duration', nullable: true, resolve: (s) => daysDuration(s.retentionDays) }),
    retentionDays: t.exposeInt('retentionDays', { nullable: true }),
  }),
});

const DeclarationChangeRef = builder.objectRef<DeclarationChange>('TcfDeclarationChange').implement({
  description: 'A purpose, special purpose, feature or data category that came, went, or changed basis or retention.',
  fields: (t) => ({
    kind: t.field({ type: TcfDefinitionKindEnum, resolve: (c) => c.kind }),
    tcfId: t.exposeInt('tcfId'),
    name: t.string({
      nullable: true,
      args: { locale: t.arg(localeArg.locale) },
      resolve: (c, args, ctx, info) => definitionName(ctx, info, c.kind, c.tcfId, args.locale),
    }),
    change: t.field({ type: DeclarationChangeKindEnum, resolve: (c) => c.change }),
    before: t.field({ type: DeclarationStateRef, nullable: true, resolve: (c) => c.before }),
    after: t.field({ type: DeclarationStateRef, nullable: true, resolve: (c) => c.after }),
  }),
});

type VendorLoader = (query: object) => Promise<Map<string, unknown>>;
interface DeltaShape extends VendorDelta {
  load: VendorLoader;
}

const VendorDeltaRef = builder.objectRef<DeltaShape>('TcfVendorDelta').implement({
  description: 'A vendor that differs between two list versions.',
  fields: (t) => ({
    gvlId: t.exposeInt('gvlId'),
    name: t.exposeString('name'),
    changedFields: t.exposeStringList('changedFields', {
      description:
        'The vendor’s fields that differ: purposes, specialPurposes, standardRetentionDays, urls, deletedDate, …',
    }),
    declarations: t.field({ type: [DeclarationChangeRef], resolve: (d) => d.declarations }),
    before: t.field({ type: 'JSONObject', nullable: true, resolve: (d) => jsonOf(d.before) }),
    after: t.field({ type: 'JSONObject', nullable: true, resolve: (d) => jsonOf(d.after) }),
    vendor: t.prismaField({
      type: 'TcfVendor',
      nullable: true,
      description: 'The vendor as it is now.',
      // Every delta of a diff is loaded in one query.
      resolve: async (query, d) => ((await d.load(query)).get(d.vendorId) ?? null) as never,
    }),
  }),
});

const jsonOf = (facts: TcfVendorFacts | null) => facts as unknown as Record<string, unknown> | null;

const loaders = new WeakMap<DiffShape, VendorLoader>();
function withLoader(shape: DiffShape, ctx: Context, deltas: VendorDelta[]): DeltaShape[] {
  let load = loaders.get(shape);
  if (!load) {
    const ids = [...shape.diff.added, ...shape.diff.removed, ...shape.diff.changed].map((d) => d.vendorId);
    const cache = new Map<string, Promise<Map<string, unknown>>>();
    load = (query) => {
      const key = JSON.stringify(query);
      let found = cache.get(key);
      if (!found) {
        found = ctx.prisma.tcfVendor
          .findMany({ ...(query as object), where: { id: { in: ids } } })
          .then((rows) => new Map(rows.map((r) => [r.id, r])));
        cache.set(key, found);
      }
      return found;
    };
    loaders.set(shape, load);
  }
  return deltas.map((d) => ({ ...d, load: load! }));
}

TcfVendorListDiffRef.implement({
  fields: (t) => ({
    from: t.field({ type: TcfVendorListRef, resolve: (d) => d.from }),
    to: t.field({ type: TcfVendorListRef, resolve: (d) => d.to }),
    added: t.field({
      type: [VendorDeltaRef],
      description: 'Vendors listed (and not deleted) in `to` but not in `from`.',
      resolve: (d, _a, ctx) => withLoader(d, ctx, d.diff.added),
    }),
    removed: t.field({
      type: [VendorDeltaRef],
      description: 'Vendors in `from` that `to` marks deleted or no longer lists.',
      resolve: (d, _a, ctx) => withLoader(d, ctx, d.diff.removed),
    }),
    changed: t.field({
      type: [VendorDeltaRef],
      description: 'Vendors in both whose declarations differ.',
      resolve: (d, _a, ctx) => withLoader(d, ctx, d.diff.changed),
    }),
  }),
});

builder.prismaObject('TcfVendorRevision', {
  description: 'The vendor as one list version declared it, kept when that version changed it.',
  fields: (t) => ({
    list: t.relation('list'),
    changedFields: t.exposeStringList('changedFields', {
      description: 'What this version changed; empty for the version that first listed the vendor.',
    }),
    name: t.string({ resolve: (r) => (r.facts as unknown as TcfVendorFacts).name }),
    deletedDate: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (r) => (r.facts as unknown as TcfVendorFacts).deletedDate ?? null,
    }),
    facts: t.field({
      type: 'JSONObject',
      description: 'Everything the version declared, as the import records it.',
      resolve: (r) => r.facts as Record<string, unknown>,
    }),
  }),
});

// ---------------------------------------------------------------------------
// The vendor.

export const TcfVendorRef = builder.prismaNode('TcfVendor', {
  id: { field: 'id' },
  description: 'What a vendor of the IAB TCF Global Vendor List declares, as of the latest imported list.',
  fields: (t) => ({
    revision: t.exposeInt('revision'),
    gvlId: t.exposeInt('gvlId', { description: 'The vendor’s id in the list; never reused.' }),
    name: t.exposeString('name', { description: 'As the list gives it.' }),
    organisation: t.relation('organisation'),
    purposes: t.field({
      type: [TcfVendorPurposeRef],
      select: { standardRetentionDays: true, purposes: { orderBy: { tcfId: 'asc' } } },
      resolve: (v) => v.purposes.map((p) => ({ ...p, standardRetentionDays: v.standardRetentionDays })),
    }),
    specialPurposes: t.field({
      type: [TcfVendorSpecialPurposeRef],
      select: { standardRetentionDays: true, specialPurposes: { orderBy: { tcfId: 'asc' } } },
      resolve: (v) => v.specialPurposes.map((p) => ({ ...p, standardRetentionDays: v.standardRetentionDays })),
    }),
    features: t.field({
      type: [TcfFeatureRef],
      select: { features: true },
      resolve: (v) => v.features.map((tcfId) => ({ kind: 'FEATURE' as const, tcfId })),
    }),
    specialFeatures: t.field({
      type: [TcfFeatureRef],
      select: { specialFeatures: true },
      resolve: (v) => v.specialFeatures.map((tcfId) => ({ kind: 'SPECIAL_FEATURE' as const, tcfId })),
    }),
    dataCategories: t.field({
      type: [TcfFeatureRef],
      description: 'v2.2+ lists: the data categories the vendor collects (`dataDeclaration`).',
      select: { dataCategories: true },
      resolve: (v) => v.dataCategories.map((tcfId) => ({ kind: 'DATA_CATEGORY' as const, tcfId })),
    }),
    standardRetention: t.field({
      type: 'Duration',
      nullable: true,
      description: 'The retention for purposes without their own, in days as the list gives it ("P365D").',
      select: { standardRetentionDays: true },
      resolve: (v) => daysDuration(v.standardRetentionDays),
    }),
    standardRetentionDays: t.exposeInt('standardRetentionDays', { nullable: true }),
    usesCookies: t.exposeBoolean('usesCookies', { nullable: true }),
    cookieMaxAge: t.field({
      type: 'Duration',
      nullable: true,
      description: 'The longest a cookie of the vendor lives ("PT31536000S").',
      select: { cookieMaxAgeSeconds: true },
      resolve: (v) => secondsDuration(v.cookieMaxAgeSeconds),
    }),
    cookieMaxAgeSeconds: t.float({
      nullable: true,
      select: { cookieMaxAgeSeconds: true },
      resolve: (v) => (v.cookieMaxAgeSeconds === null ? null : Number(v.cookieMaxAgeSeconds)),
    }),
    cookieRefresh: t.exposeBoolean('cookieRefresh', {
      nullable: true,
      description: 'Whether cookies are refreshed after being set (so may live longer than their max age).',
    }),
    usesNonCookieAccess: t.exposeBoolean('usesNonCookieAccess', {
      nullable: true,
      description: 'Whether it also stores or reads information on the device other than by cookies.',
    }),
    deviceStorageDisclosureUrl: t.expose('deviceStorageDisclosureUrl', { type: 'URL', nullable: true }),
    urls: t.field({
      type: [TcfVendorUrlsRef],
      description: 'Its privacy policy and legitimate-interest URLs in every language it gives.',
      select: { urls: true },
      resolve: (v) => v.urls as unknown as VendorUrls[],
    }),
    policyUrls: t.field({
      type: TcfVendorUrlsRef,
      nullable: true,
      description:
        'Its privacy policy and legitimate-interest URLs in the best language for the request (the argument, the enclosing locale, Accept-Language, then English); isFallback says when it is not the one asked for.',
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      select: { urls: true },
      resolve: (v, args, ctx, info) =>
        bestUrls(v.urls as unknown as VendorUrls[], wantedLocales(ctx, info, args.locale)),
    }),
    overflowHttpGetLimit: t.exposeInt('overflowHttpGetLimit', { nullable: true }),
    deletedDate: t.expose('deletedDate', {
      type: 'DateTime',
      nullable: true,
      description:
        'Set when the list marks the vendor deleted, or when a newer list no longer names it (that list’s date).',
    }),
    since: t.relation('sinceList', {
      description: 'The list version in which the vendor first declared what it declares now.',
    }),
    history: t.relatedConnection('revisions', {
      cursor: 'id',
      totalCount: true,
      ...pageSize,
      description: 'What the vendor declared in each list version that changed it, newest first.',
      query: { orderBy: [{ list: { ordinal: 'desc' } }, { id: 'desc' }] },
    }),
  }),
});
