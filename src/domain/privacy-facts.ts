// The rest of GDPR Articles 13 and 14 for one organisation: purposes with
// their legal basis, data categories, recipients, transfers, rights, the
// provision requirement, automated decisions, sources, cookies, minimum age
// and security. Codes follow the W3C Data Privacy Vocabulary's GDPR
// extension (dpv-gdpr): legal bases "A6-1-b", transfer safeguards "A46-2-c",
// rights "A15".
import { z } from 'zod';
import { calendarDate, countryCode, duration, localizedText, webUrl } from './primitives.js';

const key = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and single hyphens');

export const legalBases = [
  'A6-1-a', 'A6-1-b', 'A6-1-c', 'A6-1-d', 'A6-1-e', 'A6-1-f',
  'A9-2-a', 'A9-2-b', 'A9-2-c', 'A9-2-d', 'A9-2-e', 'A9-2-f', 'A9-2-g', 'A9-2-h', 'A9-2-i', 'A9-2-j',
] as const; // prettier-ignore

export const transferSafeguardCodes = [
  'A45-3', 'A46-2-a', 'A46-2-b', 'A46-2-c', 'A46-2-d', 'A46-2-e', 'A46-2-f', 'A46-3-a', 'A46-3-b',
  'A49-1-a', 'A49-1-b', 'A49-1-c', 'A49-1-d', 'A49-1-e', 'A49-1-f', 'A49-1-g', 'EU-US-DPF', 'SAFE-HARBOR',
] as const; // prettier-ignore

export const rightCodes = ['A7-3', 'A15', 'A16', 'A17', 'A18', 'A19', 'A20', 'A21', 'A22', 'A77'] as const;

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

const text = localizedText(2000);

export const privacySchema = z
  .strictObject({
    purposes: z
      .array(
        z.strictObject({
          key,
          description: text,
          legalBasis: z.enum(legalBases).optional(),
          legitimateInterest: text.optional(),
          dataCategories: z.array(key).max(100).default([]),
        }),
      )
      .max(200)
      .default([]),
    dataCategories: z
      .array(z.strictObject({ key, name: text, special: z.boolean().default(false) }))
      .max(200)
      .default([]),
    dataSubjects: z
      .array(z.strictObject({ key, name: text }))
      .max(50)
      .default([]),
    recipients: z
      .array(z.strictObject({ key, kind: z.enum(recipientKinds), description: text }))
      .max(100)
      .default([]),
    transfers: z
      .array(
        z.strictObject({
          key,
          country: countryCode,
          recipient: z.string().trim().min(1).max(200),
          safeguard: z.enum(transferSafeguardCodes),
          description: text.optional(),
          activeUntil: calendarDate.optional(),
        }),
      )
      .max(100)
      .default([]),
    rights: z
      .array(
        z.strictObject({
          right: z.enum(rightCodes),
          description: text.optional(),
          contact: key.optional(),
          url: webUrl.optional(),
          answerTerm: duration.optional(),
          extendable: z.boolean().optional(),
          identificationRequired: z.boolean().optional(),
        }),
      )
      .max(20)
      .default([]),
    provision: z.strictObject({ requirement: z.enum(provisionRequirements), consequences: text.optional() }).optional(),
    automatedDecisions: z
      .strictObject({ used: z.boolean(), profiling: z.boolean().default(false), description: text.optional() })
      .optional(),
    sources: z
      .array(
        z.strictObject({
          dataCategory: key,
          description: text,
          publiclyAvailable: z.boolean().default(false),
          url: webUrl.optional(),
        }),
      )
      .max(100)
      .default([]),
    cookies: z
      .strictObject({
        consentTool: z.string().trim().min(1).max(100).optional(),
        policyUrl: webUrl.optional(),
        categories: z
          .array(z.strictObject({ category: z.enum(cookieCategories), description: text.optional() }))
          .max(10)
          .default([]),
      })
      .optional(),
    minimumAge: z.number().int().min(0).max(21).optional(),
    security: z
      .strictObject({
        measures: z.array(text).max(100).default([]),
        certifications: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    const categories = new Set(p.dataCategories.map((c) => c.key));
    p.purposes.forEach((purpose, i) => {
      purpose.dataCategories.forEach((c, j) => {
        if (!categories.has(c)) {
          ctx.addIssue({
            code: 'custom',
            path: ['purposes', i, 'dataCategories', j],
            message: `no data category with key "${c}"`,
            params: { code: 'NOT_FOUND' },
          });
        }
      });
      if (purpose.legalBasis === 'A6-1-f' && !purpose.legitimateInterest) {
        ctx.addIssue({
          code: 'custom',
          path: ['purposes', i, 'legitimateInterest'],
          message: 'a purpose based on legitimate interests (A6-1-f) must name the interest',
          params: { code: 'REQUIRED' },
        });
      }
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
