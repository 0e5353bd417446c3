// Where a fact comes from. A fact is taken from the notice unless it says
// otherwise: `source: PROJECT` (the project added it: a registry's name, a
// headquarters country looked up elsewhere), `source: ORGANISATION` (the
// organisation told us, not its notice). A record taken from the notice may
// still carry single values that are not in it; those are named in
// `fieldSources` ({ legalReference: PROJECT }). Completeness counts only what
// the notice states; the API and the DPV export show the rest as additions.
import { z } from 'zod';
import { FactSource } from '../db/generated/enums.js';

export type FactSourceValue = (typeof FactSource)[keyof typeof FactSource];
/** A source other than the notice: what a fact carries when it is not the notice's. */
export type AddedBy = Exclude<FactSourceValue, 'NOTICE'>;

/** NOTICE is the default and is not written out: a record carries only its exceptions. */
const source = z
  .enum(FactSource)
  .optional()
  .transform((s): AddedBy | undefined => (s === 'NOTICE' ? undefined : s));

const fieldSources = z
  .record(z.string().max(60), z.enum(FactSource))
  .optional()
  .transform((map): Record<string, AddedBy> | undefined => {
    if (!map) return undefined;
    const kept = Object.fromEntries(Object.entries(map).filter(([, s]) => s !== 'NOTICE')) as Record<string, AddedBy>;
    return Object.keys(kept).length ? kept : undefined;
  });

export const provenanceShape = { source, fieldSources };

export interface Provenance {
  source?: AddedBy | undefined;
  fieldSources?: Record<string, AddedBy> | undefined;
}

/** `fieldSources` may name only fields of the fact that have a value. */
export function checkFieldSources(item: Record<string, unknown>, ctx: z.RefinementCtx, path: (string | number)[] = []) {
  const named = (item.fieldSources as Record<string, string> | undefined) ?? {};
  for (const field of Object.keys(named)) {
    const value = item[field];
    const ownField = !['fieldSources', 'source', 'key'].includes(field);
    if (!ownField || value === undefined || value === null) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'fieldSources', field],
        message: ownField ? `names "${field}", which this fact does not give` : `"${field}" has no source of its own`,
        params: { code: 'INVALID' },
      });
    }
  }
}

/** The source of one value of a fact: its field's, else the fact's, else the notice. */
export const sourceOf = (fact: Provenance, field?: string): FactSourceValue =>
  (field ? fact.fieldSources?.[field] : undefined) ?? fact.source ?? 'NOTICE';

/** Whether the notice itself states the fact (and, with a field, that value). */
export const statedByNotice = (fact: Provenance, field?: string) => sourceOf(fact, field) === 'NOTICE';
