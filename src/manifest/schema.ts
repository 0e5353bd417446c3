// The organisation manifest: one organisation's privacy facts in one YAML or
// JSON document. The format is documented in docs/manifest.md; this schema is
// its single source of truth and every refusal names the path of the field.
import { z } from 'zod';
import {
  canonicalLocale,
  checkCountryCode,
  checkDate,
  checkDuration,
  checkEmail,
  checkLocale,
  checkPhoneNumber,
  checkWebUrl,
  type FieldCheck,
} from '../validation/fields.js';

export const LIMITS = {
  shortText: 200,
  longText: 20_000,
  listSize: 500,
  sections: 300,
} as const;

/** A string that must pass one of the shared field rules; `code` is the stable error code. */
function checked(check: FieldCheck, code: string, max: number = LIMITS.shortText) {
  return z
    .string()
    .max(max)
    .superRefine((value, ctx) => {
      const reason = check(value);
      if (reason) ctx.addIssue({ code: 'custom', message: reason, params: { code } });
    });
}

const text = (max: number = LIMITS.shortText) => z.string().trim().min(1).max(max);
const key = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and single hyphens (e.g. "zendesk")')
  .max(80);

export const countryCode = checked(checkCountryCode, 'INVALID_COUNTRY', 2);
export const email = checked(checkEmail, 'INVALID_EMAIL');
export const phoneNumber = checked(checkPhoneNumber, 'INVALID_PHONE');
export const webUrl = checked(checkWebUrl, 'INVALID_URL', 2000);
export const duration = checked(checkDuration, 'INVALID_DURATION', 40);
export const calendarDate = checked(checkDate, 'INVALID_DATE', 10);
export const locale = checked(checkLocale, 'INVALID_LOCALE', 35).transform((value) => canonicalLocale(value) ?? value);

/** Localised prose: { nl: "…", en: "…" }, at least one locale. */
export const localizedText = (max: number = LIMITS.longText) =>
  z
    .record(z.string(), text(max))
    .superRefine((value, ctx) => {
      const keys = Object.keys(value);
      if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one locale' });
      for (const k of keys) {
        const reason = checkLocale(k);
        if (reason)
          ctx.addIssue({
            code: 'custom',
            path: [k],
            message: reason,
            params: { code: 'INVALID_LOCALE' },
          });
      }
    })
    .transform((value) => Object.fromEntries(Object.entries(value).map(([k, v]) => [canonicalLocale(k) ?? k, v])));

export const address = z.strictObject({
  street: text().optional(),
  postalCode: text(20).optional(),
  locality: text().optional(),
  region: text().optional(),
  country: countryCode,
});

export const supervisoryAuthoritySchema = z.strictObject({
  slug: key,
  name: text(),
  country: countryCode,
  website: webUrl.optional(),
  email: email.optional(),
  phone: phoneNumber.optional(),
  address: address.optional(),
});

export const entityRoles = [
  'CONTROLLER',
  'JOINT_CONTROLLER',
  'EU_ESTABLISHMENT',
  'REPRESENTATIVE',
  'AFFILIATE',
] as const;
export const controllerEntitySchema = z.strictObject({
  key,
  legalName: text(),
  role: z.enum(entityRoles),
  registry: text().optional(),
  registrationNumber: text(50).optional(),
  vatNumber: text(30).optional(),
  address,
});

export const contactKinds = [
  'DPO',
  'PRIVACY',
  'GENERAL',
  'SECURITY_OFFICER',
  'DATA_SUBJECT_REQUESTS',
  'DISPUTE_RESOLUTION',
  'LEGAL',
] as const;
export const contactSchema = z
  .strictObject({
    key,
    kind: z.enum(contactKinds),
    entity: key.optional(),
    name: text().optional(),
    department: text().optional(),
    email: email.optional(),
    phone: phoneNumber.optional(),
    url: webUrl.optional(),
    address: address.optional(),
    note: localizedText(1000).optional(),
    activeFrom: calendarDate.optional(),
    activeUntil: calendarDate.optional(),
  })
  .refine((c) => c.email || c.phone || c.url || c.address, {
    message: 'a contact needs at least one of email, phone, url or address',
  });

export const processorRoles = ['PROCESSOR', 'SUB_PROCESSOR', 'INDEPENDENT_CONTROLLER'] as const;
export const processorStatuses = ['PLANNED', 'ACTIVE', 'RETIRED'] as const;
export const transferSafeguards = [
  'NOT_REQUIRED',
  'ADEQUACY_DECISION',
  'STANDARD_CONTRACTUAL_CLAUSES',
  'BINDING_CORPORATE_RULES',
  'EU_US_DATA_PRIVACY_FRAMEWORK',
  'SAFE_HARBOR',
  'UNKNOWN',
] as const;
const dataLocation = z.union([
  countryCode.transform((country) => ({
    country,
    locality: undefined as string | undefined,
  })),
  z.strictObject({ country: countryCode, locality: text().optional() }),
]);
export const processorSchema = z.strictObject({
  key,
  name: text(),
  legalName: text().optional(),
  website: webUrl.optional(),
  role: z.enum(processorRoles),
  service: localizedText(1000),
  headquartersCountry: countryCode.optional(),
  dataLocations: z.array(dataLocation).max(50).default([]),
  certifications: z.array(text(100)).max(50).default([]),
  transferSafeguard: z.enum(transferSafeguards),
  agreementInPlace: z.boolean().optional(),
  status: z.enum(processorStatuses).default('ACTIVE'),
  activeFrom: calendarDate.optional(),
  activeUntil: calendarDate.optional(),
});

export const retentionTriggers = [
  'COLLECTION',
  'LAST_ACTIVITY',
  'CONTRACT_END',
  'CANCELLATION',
  'ACCOUNT_CREATION',
  'DELETION',
  'PURPOSE_FULFILLED',
] as const;
export const retentionBases = ['STATUTORY', 'CONTRACTUAL', 'LEGITIMATE_INTEREST', 'CONSENT'] as const;
export const retentionActions = ['DELETE', 'ANONYMISE', 'ARCHIVE'] as const;
export const retentionRuleSchema = z
  .strictObject({
    key,
    dataCategory: localizedText(500),
    period: duration.optional(),
    criterion: localizedText(1000).optional(),
    trigger: z.enum(retentionTriggers),
    basis: z.enum(retentionBases),
    legalReference: text().optional(),
    action: z.enum(retentionActions),
  })
  .refine((r) => r.period || r.criterion, {
    message: 'a retention rule needs a period or, when there is no fixed period, a criterion',
  });

const section = z.strictObject({
  heading: text(300),
  anchor: key.optional(),
  level: z.number().int().min(1).max(6).default(2),
  body: z.string().max(LIMITS.longText).default(''),
});

const translation = z.strictObject({
  locale,
  title: text(300),
  sections: z.array(section).min(1).max(LIMITS.sections),
});

export const noticeKinds = ['PRIVACY', 'COOKIE'] as const;
export const versionStatuses = ['DRAFT', 'PUBLISHED', 'ARCHIVED'] as const;
const noticeVersion = z.strictObject({
  version: text(40),
  effectiveDate: calendarDate,
  status: z.enum(versionStatuses).default('PUBLISHED'),
  translations: z.array(translation).min(1).max(100),
});

const notice = z.strictObject({
  slug: key,
  kind: z.enum(noticeKinds).default('PRIVACY'),
  versions: z.array(noticeVersion).min(1).max(LIMITS.listSize),
});

export const organisationSchema = z.strictObject({
  slug: key,
  name: text(),
  website: webUrl.optional(),
  defaultLocale: locale,
});

/** Keys must be unique within their list, or an upsert would be ambiguous. */
function uniqueBy<T>(
  list: T[],
  pick: (item: T) => string,
  ctx: z.RefinementCtx,
  path: (string | number)[],
  what: string,
) {
  const seen = new Map<string, number>();
  list.forEach((item, index) => {
    const value = pick(item);
    const first = seen.get(value);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, index],
        message: `duplicate ${what} "${value}" (first at index ${first})`,
        params: { code: 'DUPLICATE' },
      });
    } else seen.set(value, index);
  });
}

export const manifestSchema = z
  .strictObject({
    organisation: organisationSchema,
    supervisoryAuthorities: z.array(supervisoryAuthoritySchema).max(50).default([]),
    controllerEntities: z.array(controllerEntitySchema).max(LIMITS.listSize).default([]),
    contacts: z.array(contactSchema).max(LIMITS.listSize).default([]),
    processors: z.array(processorSchema).max(LIMITS.listSize).default([]),
    retentionRules: z.array(retentionRuleSchema).max(LIMITS.listSize).default([]),
    notices: z.array(notice).max(20).default([]),
  })
  .superRefine((m, ctx) => {
    uniqueBy(m.supervisoryAuthorities, (a) => a.slug, ctx, ['supervisoryAuthorities'], 'slug');
    uniqueBy(m.controllerEntities, (e) => e.key, ctx, ['controllerEntities'], 'key');
    uniqueBy(m.contacts, (c) => c.key, ctx, ['contacts'], 'key');
    uniqueBy(m.processors, (p) => p.key, ctx, ['processors'], 'key');
    uniqueBy(m.retentionRules, (r) => r.key, ctx, ['retentionRules'], 'key');
    uniqueBy(m.notices, (n) => n.slug, ctx, ['notices'], 'slug');
    const entityKeys = new Set(m.controllerEntities.map((e) => e.key));
    m.contacts.forEach((c, i) => {
      if (c.entity && !entityKeys.has(c.entity)) {
        ctx.addIssue({
          code: 'custom',
          path: ['contacts', i, 'entity'],
          message: `no controller entity with key "${c.entity}" in this manifest`,
          params: { code: 'NOT_FOUND' },
        });
      }
    });
    m.notices.forEach((n, ni) => {
      uniqueBy(n.versions, (v) => v.version, ctx, ['notices', ni, 'versions'], 'version');
      uniqueBy(n.versions, (v) => v.effectiveDate, ctx, ['notices', ni, 'versions'], 'effective date');
      n.versions.forEach((v, vi) => {
        const path = ['notices', ni, 'versions', vi, 'translations'];
        uniqueBy(v.translations, (t) => t.locale, ctx, path, 'locale');
        v.translations.forEach((t, ti) => {
          const explicit = t.sections.flatMap((s, si) => (s.anchor ? [{ anchor: s.anchor, si }] : []));
          uniqueBy(explicit, (e) => e.anchor, ctx, [...path, ti, 'sections'], 'anchor');
        });
      });
    });
  });

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestInput = z.input<typeof manifestSchema>;
