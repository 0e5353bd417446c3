// The rest of GDPR Articles 13 and 14 for one organisation: purposes with
// their legal bases, data categories, recipients, transfers, rights, the
// provision requirement, automated decisions, sources, cookies, minimum age
// and security. Codes follow the W3C Data Privacy Vocabulary's GDPR
// extension (dpv-gdpr): legal bases "A6-1-b", transfer safeguards "A46-2-c",
// rights "A15". Every entry of a list is a fact: it may hold from and until a
// notice version or a date, and say where it comes from (src/domain/fact.ts).
import { z } from 'zod';
import { checkFact, dataLocations, factShape, platforms } from './fact.js';
import { address, countryCode, duration, localizedText, text as shortText, webUrl } from './primitives.js';
import { checkFieldSources, provenanceShape } from './provenance.js';
import { holdingOn, type Timeline, type Validity } from './validity.js';

const key = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and single hyphens');

export const legalBases = [
  'A6-1-a', 'A6-1-b', 'A6-1-c', 'A6-1-d', 'A6-1-e', 'A6-1-f',
  'A9-2-a', 'A9-2-b', 'A9-2-c', 'A9-2-d', 'A9-2-e', 'A9-2-f', 'A9-2-g', 'A9-2-h', 'A9-2-i', 'A9-2-j',
] as const; // prettier-ignore

/** Consent, under Art. 6 or Art. 9: it can be withdrawn. */
export const consentBases: readonly string[] = ['A6-1-a', 'A9-2-a'];

/**
 * DPV codes, plus two the vocabulary has no code for: NONE (the notice says
 * there is no safeguard) and UNKNOWN (it does not say which).
 */
export const transferSafeguardCodes = [
  'A45-3', 'A46-2-a', 'A46-2-b', 'A46-2-c', 'A46-2-d', 'A46-2-e', 'A46-2-f', 'A46-3-a', 'A46-3-b',
  'A49-1-a', 'A49-1-b', 'A49-1-c', 'A49-1-d', 'A49-1-e', 'A49-1-f', 'A49-1-g', 'EU-US-DPF', 'SAFE-HARBOR',
  'NONE', 'UNKNOWN',
] as const; // prettier-ignore

/** A13/A14: the right to be informed; A15–A22 the rights of access to automated decisions; A7-3 withdrawing consent; A77 complaint. */
export const rightCodes = [
  'A7-3',
  'A13',
  'A14',
  'A15',
  'A16',
  'A17',
  'A18',
  'A19',
  'A20',
  'A21',
  'A22',
  'A77',
] as const;

/** How a right is exercised: a contact, an online portal, a place in the app, the customer's own administrator, … */
export const rightChannels = ['CONTACT', 'ONLINE_PORTAL', 'IN_APP', 'ADMINISTRATOR', 'POST', 'OTHER'] as const;

export const recipientKinds = [
  'SERVICE_PROVIDERS',
  'AFFILIATES',
  'RESELLERS',
  'PARTNERS',
  'AUTHORITIES',
  'PROFESSIONAL_ADVISERS',
  'ACQUIRERS',
  'OTHER',
] as const;

export const cookieCategories = ['NECESSARY', 'PREFERENCES', 'STATISTICS', 'MARKETING', 'SOCIAL_MEDIA'] as const;

export const provisionRequirements = [
  'STATUTORY',
  'CONTRACTUAL',
  'CONTRACT_PREREQUISITE',
  'VOLUNTARY',
  'MIXED',
] as const;

export const purposeStatuses = ['ACTIVE', 'PLANNED'] as const;

const text = localizedText(2000);

/** One entry of a list: its own fields and what every fact has. */
const entry = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject({ ...shape, ...factShape }).superRefine((item, ctx) => checkFact(item, ctx));

/** Renamed fields, read in their new shape: a purpose's one `legalBasis`, a transfer's one `country` and its `activeUntil`. */
const renamed = (names: Record<string, (value: unknown) => [string, unknown]>) => (input: unknown) => {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const [old, to] of Object.entries(names)) {
    if (out[old] === undefined) continue;
    const [name, value] = to(out[old]);
    if (out[name] === undefined) out[name] = value;
    delete out[old];
  }
  return out;
};

const purpose = z.preprocess(
  renamed({ legalBasis: (v) => ['legalBases', [v]] }),
  entry({
    key,
    description: text,
    /** One basis or several: Art. 6 and, for special categories, an Art. 9 condition beside it. */
    legalBases: z
      .array(z.enum(legalBases))
      .max(6)
      .default([])
      .transform((list) => [...new Set(list)]),
    legitimateInterest: text.optional(),
    /** The national law the processing rests on, as the notice cites it ("§ 360 SGB V"). */
    legalReference: shortText().optional(),
    dataCategories: z.array(key).max(100).default([]),
    /** PLANNED: the notice announces it, it does not happen yet. */
    status: z.enum(purposeStatuses).default('ACTIVE'),
    /** How consent for this purpose is withdrawn ("switch off … under Settings"). */
    consentWithdrawal: text.optional(),
    platforms,
    /** Where it happens: countries, or only on the user's device. */
    dataLocations,
  }),
);

const transfer = z.preprocess(
  renamed({ country: (v) => ['countries', [v]], activeUntil: (v) => ['validUntil', v] }),
  entry({
    key,
    /** The third countries named; with otherThirdCountries the notice adds "or another third country". */
    countries: z.array(countryCode).max(50).default([]),
    otherThirdCountries: z.boolean().default(false),
    recipient: z.string().trim().min(1).max(200),
    safeguard: z.enum(transferSafeguardCodes),
    description: text.optional(),
    platforms,
  }).refine((t) => t.countries.length > 0 || t.otherThirdCountries, {
    message: 'a transfer names its countries, or says otherThirdCountries: true',
    path: ['countries'],
  }),
);

const channel = z
  .strictObject({
    kind: z.enum(rightChannels),
    contact: key.optional(),
    url: webUrl.optional(),
    /** Who it is for, or what to do ("users of a customer: their administrator"). */
    description: text.optional(),
  })
  .refine((c) => c.kind !== 'CONTACT' || c.contact, {
    message: 'a CONTACT channel names its contact',
    path: ['contact'],
  });

const right = entry({
  right: z.enum(rightCodes),
  description: text.optional(),
  contact: key.optional(),
  url: webUrl.optional(),
  /** The ways to exercise it, when there is more than one contact (a portal; an administrator for some people). */
  channels: z.array(channel).max(10).default([]),
  answerTerm: duration.optional(),
  extendable: z.boolean().optional(),
  identificationRequired: z.boolean().optional(),
  /** Only for these data categories (empty: all). */
  dataCategories: z.array(key).max(100).default([]),
  /** Not for these (anonymised data, data kept only on the device). */
  excludedDataCategories: z.array(key).max(100).default([]),
  /** How the right is limited, in the notice's words. */
  limitation: text.optional(),
});

const withProvenance = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject({ ...shape, ...provenanceShape }).superRefine((item, ctx) => checkFieldSources(item, ctx));

export const privacySchema = z
  .strictObject({
    purposes: z.array(purpose).max(200).default([]),
    dataCategories: z
      .array(
        entry({
          key,
          name: text,
          special: z.boolean().default(false),
          /** Anonymised: no longer personal data (rights do not apply to it). */
          anonymised: z.boolean().default(false),
        }),
      )
      .max(200)
      .default([]),
    dataSubjects: z
      .array(entry({ key, name: text }))
      .max(50)
      .default([]),
    recipients: z
      .array(
        entry({
          key,
          kind: z.enum(recipientKinds),
          description: text,
          /** A named recipient, with its address where the notice gives one. */
          name: shortText().optional(),
          address: address.optional(),
          legalReference: shortText().optional(),
          platforms,
        }),
      )
      .max(100)
      .default([]),
    transfers: z.array(transfer).max(100).default([]),
    rights: z.array(right).max(50).default([]),
    provision: withProvenance({ requirement: z.enum(provisionRequirements), consequences: text.optional() }).optional(),
    automatedDecisions: withProvenance({
      used: z.boolean(),
      profiling: z.boolean().default(false),
      description: text.optional(),
    }).optional(),
    sources: z
      .array(
        entry({
          dataCategory: key,
          description: text,
          publiclyAvailable: z.boolean().default(false),
          url: webUrl.optional(),
        }),
      )
      .max(100)
      .default([]),
    cookies: withProvenance({
      consentTool: z.string().trim().min(1).max(100).optional(),
      policyUrl: webUrl.optional(),
      categories: z
        .array(entry({ category: z.enum(cookieCategories), description: text.optional() }))
        .max(10)
        .default([]),
    }).optional(),
    minimumAge: z.number().int().min(0).max(21).optional(),
    security: withProvenance({
      measures: z.array(text).max(100).default([]),
      certifications: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    }).optional(),
  })
  .superRefine((p, ctx) => {
    const categories = new Set(p.dataCategories.map((c) => c.key));
    const known = (list: string[], path: (string | number)[]) =>
      list.forEach((c, j) => {
        if (!categories.has(c)) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, j],
            message: `no data category with key "${c}"`,
            params: { code: 'NOT_FOUND' },
          });
        }
      });
    p.purposes.forEach((purpose, i) => {
      known(purpose.dataCategories, ['purposes', i, 'dataCategories']);
      if (purpose.legalBases.includes('A6-1-f') && !purpose.legitimateInterest) {
        ctx.addIssue({
          code: 'custom',
          path: ['purposes', i, 'legitimateInterest'],
          message: 'a purpose based on legitimate interests (A6-1-f) must name the interest',
          params: { code: 'REQUIRED' },
        });
      }
    });
    p.rights.forEach((r, i) => {
      known(r.dataCategories, ['rights', i, 'dataCategories']);
      known(r.excludedDataCategories, ['rights', i, 'excludedDataCategories']);
    });
    p.sources.forEach((s, i) => {
      if (!categories.has(s.dataCategory)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'dataCategory'],
          message: `no data category with key "${s.dataCategory}"`,
          params: { code: 'NOT_FOUND' },
        });
      }
    });
  });

export type PrivacyFacts = z.output<typeof privacySchema>;

/** Every entry of the facts that may carry bounds, with its path: for checks against the notice versions. */
export function factEntries(p: PrivacyFacts) {
  const lists = ['purposes', 'dataCategories', 'dataSubjects', 'recipients', 'transfers', 'rights', 'sources'] as const;
  const out: { path: (string | number)[]; item: { validFrom?: string; validUntil?: string } }[] = [];
  for (const list of lists) (p[list] as object[]).forEach((item, i) => out.push({ path: [list, i], item }));
  p.cookies?.categories.forEach((item, i) => out.push({ path: ['cookies', 'categories', i], item }));
  return out;
}

/** The privacy facts with only the entries that hold on a day. */
export function factsHoldingOn(facts: PrivacyFacts, timeline: Timeline, day: string): PrivacyFacts {
  const keep = <T extends Validity>(list: readonly T[]) => holdingOn(list, timeline, day);
  return {
    ...facts,
    purposes: keep(facts.purposes),
    dataCategories: keep(facts.dataCategories),
    dataSubjects: keep(facts.dataSubjects),
    recipients: keep(facts.recipients),
    transfers: keep(facts.transfers),
    rights: keep(facts.rights),
    sources: keep(facts.sources),
    ...(facts.cookies ? { cookies: { ...facts.cookies, categories: keep(facts.cookies.categories) } } : {}),
  };
}
