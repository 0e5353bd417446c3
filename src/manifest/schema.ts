// The organisation manifest: one organisation's privacy facts in one YAML or
// JSON document. Its format is shown in the README; this schema is its single
// source of truth and every refusal names the path of the field.
import { z } from 'zod';
import {
  address,
  calendarDate,
  duration,
  countryCode,
  email,
  key,
  LIMITS,
  locale,
  localizedText,
  phoneNumber,
  text,
  webUrl,
} from './primitives.js';
import { privacySchema } from './privacy.js';

export * from './primitives.js';

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
    privacy: z.lazy(() => privacySchema).optional(),
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
    m.privacy?.rights.forEach((r, i) => {
      if (r.contact && !m.contacts.some((c) => c.key === r.contact)) {
        ctx.addIssue({
          code: 'custom',
          path: ['privacy', 'rights', i, 'contact'],
          message: `no contact with key "${r.contact}" in this manifest`,
          params: { code: 'NOT_FOUND' },
        });
      }
    });
  });

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestInput = z.input<typeof manifestSchema>;
