// The organisation manifest: one organisation's privacy facts in one YAML or
// JSON document, composed of the domain's own record schemas (src/domain/), so
// a field means the same thing however it arrives. Its format is shown in the
// README; what is checked here is what only a whole manifest can check: keys
// unique within their list, references between records.
//
// Supervisory authorities are shared reference data: an organisation names
// them by slug. An entry may also define one in full (a reference file such as
// manifests/reference/supervisory-authorities.yaml does only that); creating or
// changing an authority needs an admin key, whichever way it arrives.
import { z } from 'zod';
import { contactSchema } from '../domain/contact.js';
import { controllerEntitySchema } from '../domain/controller-entity.js';
import { noticeSchema, noticeTranslationSchema, noticeVersionSchema } from '../domain/notice.js';
import { organisationSchema, provenanceFields } from '../domain/organisation.js';
import { otherControllerSchema } from '../domain/other-controller.js';
import { key, LIMITS } from '../domain/primitives.js';
import { privacySchema } from '../domain/privacy-facts.js';
import { processorSchema } from '../domain/processor.js';
import { keeperOf, retentionRuleEntrySchema } from '../domain/retention-rule.js';
import { supervisoryAuthoritySchema } from '../domain/supervisory-authority.js';

const noticeVersion = noticeVersionSchema.extend({
  // A manifest describes what is in force: its versions are published unless it says otherwise.
  status: noticeVersionSchema.shape.status.unwrap().default('PUBLISHED'),
  translations: z.array(noticeTranslationSchema).min(1).max(100),
});

const notice = noticeSchema.extend({
  versions: z.array(noticeVersion).min(1).max(LIMITS.listSize),
});

export const manifestSchema = z
  .strictObject({
    organisation: organisationSchema.omit({ supervisoryAuthorities: true, ...provenanceFields }).optional(),
    supervisoryAuthorities: z
      .array(z.union([key, supervisoryAuthoritySchema]))
      .max(50)
      .default([]),
    controllerEntities: z.array(controllerEntitySchema).max(LIMITS.listSize).default([]),
    contacts: z.array(contactSchema).max(LIMITS.listSize).default([]),
    processors: z.array(processorSchema).max(LIMITS.listSize).default([]),
    // Organisations responsible for connected services: neither processors nor the organisation's own entities.
    otherControllers: z.array(otherControllerSchema).max(LIMITS.listSize).default([]),
    // Their order is the notice's order.
    retentionRules: z.array(retentionRuleEntrySchema).max(LIMITS.listSize).default([]),
    notices: z.array(notice).max(20).default([]),
    privacy: privacySchema.optional(),
  })
  .superRefine((m, ctx) => {
    if (!m.organisation) {
      const records = [
        'controllerEntities',
        'contacts',
        'processors',
        'otherControllers',
        'retentionRules',
        'notices',
      ] as const;
      for (const list of records) {
        if (m[list].length > 0) {
          ctx.addIssue({
            code: 'custom',
            path: [list],
            message: `${list} belong to an organisation: add \`organisation:\``,
            params: { code: 'REQUIRED' },
          });
        }
      }
      if (m.privacy)
        ctx.addIssue({
          code: 'custom',
          path: ['privacy'],
          message: 'privacy facts belong to an organisation: add `organisation:`',
          params: { code: 'REQUIRED' },
        });
    }
    uniqueBy(
      m.supervisoryAuthorities,
      (a) => (typeof a === 'string' ? a : a.slug),
      ctx,
      ['supervisoryAuthorities'],
      'slug',
    );
    uniqueBy(m.controllerEntities, (e) => e.key, ctx, ['controllerEntities'], 'key');
    uniqueBy(m.contacts, (c) => c.key, ctx, ['contacts'], 'key');
    uniqueBy(m.processors, (p) => p.key, ctx, ['processors'], 'key');
    uniqueBy(m.otherControllers, (c) => c.key, ctx, ['otherControllers'], 'key');
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
        uniqueBy(v.translations, (t) => t.locale, ctx, ['notices', ni, 'versions', vi, 'translations'], 'locale');
      });
    });
    const contactKeys = new Set(m.contacts.map((c) => c.key));
    const noContact = (key: string, path: (string | number)[]) =>
      ctx.addIssue({
        code: 'custom',
        path,
        message: `no contact with key "${key}" in this manifest`,
        params: { code: 'NOT_FOUND' },
      });
    m.privacy?.rights.forEach((r, i) => {
      if (r.contact && !contactKeys.has(r.contact)) noContact(r.contact, ['privacy', 'rights', i, 'contact']);
      r.channels.forEach((c, j) => {
        if (c.contact && !contactKeys.has(c.contact)) {
          noContact(c.contact, ['privacy', 'rights', i, 'channels', j, 'contact']);
        }
      });
    });
    // Who keeps the data must be in the manifest: a recipient, a processor, another controller or an entity.
    const keepers = {
      recipient: new Set((m.privacy?.recipients ?? []).map((r) => r.key)),
      processor: new Set(m.processors.map((p) => p.key)),
      otherController: new Set(m.otherControllers.map((c) => c.key)),
      entity: new Set(m.controllerEntities.map((e) => e.key)),
    };
    m.retentionRules.forEach((r, i) => {
      const keeper = keeperOf(r.keptBy);
      if (keeper && !keepers[keeper.kind].has(keeper.key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['retentionRules', i, 'keptBy', keeper.kind],
          message: `no ${keeper.kind} with key "${keeper.key}" in this manifest`,
          params: { code: 'NOT_FOUND' },
        });
      }
    });
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

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestInput = z.input<typeof manifestSchema>;
