// What every fact shows the same way: when it holds (validFrom, validUntil,
// as given, with the notice version or the date and its precision) and where
// it comes from (source, and the values whose source differs: fieldSources).
import { parseBound } from '../../domain/validity.js';
import type { AddedBy } from '../../domain/provenance.js';
import { builder, type InputFields } from '../builder.js';
import { DatePrecisionEnum, FactSourceEnum } from './enums.js';

export const ValidityBound = builder.objectRef<string>('ValidityBound').implement({
  description: 'One end of the time a fact holds: a notice version, or a date with its precision.',
  fields: (t) => ({
    given: t.string({
      description: 'As written: "privacy@1.2" (a notice version) or "2025-11", "2025-11-03" (a date).',
      resolve: (b) => b,
    }),
    notice: t.string({
      nullable: true,
      description: 'The notice’s slug, for a version bound.',
      resolve: (b) => version(b)?.notice ?? null,
    }),
    version: t.string({
      nullable: true,
      description: 'The version label, for a version bound.',
      resolve: (b) => version(b)?.version ?? null,
    }),
    date: t.field({ type: 'PartialDate', nullable: true, resolve: (b) => date(b)?.date ?? null }),
    precision: t.field({ type: DatePrecisionEnum, nullable: true, resolve: (b) => date(b)?.precision ?? null }),
  }),
});

const version = (b: string) => {
  const p = parseBound(b);
  return p?.kind === 'version' ? p : null;
};
const date = (b: string) => {
  const p = parseBound(b);
  return p?.kind === 'date' ? p : null;
};

export const FieldSource = builder.objectRef<{ field: string; source: AddedBy }>('FieldSource').implement({
  description: 'A value of a fact whose source is not the fact’s own (a registry’s name the project added).',
  fields: (t) => ({
    field: t.exposeString('field'),
    source: t.field({ type: FactSourceEnum, resolve: (f) => f.source }),
  }),
});

export interface FactLike {
  validFrom?: string | null;
  validUntil?: string | null;
  source?: string | null;
  fieldSources?: unknown;
}

export const fieldSourceList = (value: unknown) =>
  Object.entries((value as Record<string, AddedBy> | null | undefined) ?? {})
    .map(([field, source]) => ({ field, source }))
    .sort((a, b) => a.field.localeCompare(b.field));

/** The shared fields of a fact, for an object type whose parent yields the fact through `pick`. */
// The field builders of prisma objects and plain objects differ only in their parent type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function factFields<P>(t: any, pick: (parent: P) => FactLike) {
  return {
    validFrom: t.field({
      type: ValidityBound,
      nullable: true,
      description: 'From when it holds (inclusive): a notice version or a date; null: from the start.',
      resolve: (p: P) => pick(p).validFrom ?? null,
    }),
    validUntil: t.field({
      type: ValidityBound,
      nullable: true,
      description: 'Until when it holds (inclusive: the version’s last day, or the date’s); null: still.',
      resolve: (p: P) => pick(p).validUntil ?? null,
    }),
    ...provenanceFields(t, pick),
  };
}

/** Where a fact comes from, for reference data and parts of the facts that have no validity of their own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function provenanceFields<P>(t: any, pick: (parent: P) => FactLike) {
  return {
    source: t.field({
      type: FactSourceEnum,
      description: 'NOTICE unless the project or the organisation added it.',
      resolve: (p: P) => pick(p).source ?? 'NOTICE',
    }),
    fieldSources: t.field({
      type: [FieldSource],
      description: 'Values of this fact whose source is not the fact’s own.',
      resolve: (p: P) => fieldSourceList(pick(p).fieldSources),
    }),
  };
}

/** Where a part of the facts comes from, as an object of its own. */
export const ProvenanceRef = builder.objectRef<FactLike>('Provenance').implement({
  description: 'Where a part of the facts comes from, and the values whose source differs.',
  fields: (t) => provenanceFields(t, (p: FactLike) => p),
});

export const FieldSourceInput = builder.inputType('FieldSourceInput', {
  fields: (t) => ({
    field: t.string({ required: true, description: 'A field of the record, e.g. "registry".' }),
    source: t.field({ type: FactSourceEnum, required: true }),
  }),
});

/** The shared input fields of a fact. */
export const factInputFields = (t: InputFields) => ({
  validFrom: t.string({ description: 'A notice version ("privacy@1.2") or a date ("2025-11", "2025-11-03").' }),
  validUntil: t.string({ description: 'A notice version or a date; inclusive.' }),
  source: t.field({ type: FactSourceEnum, description: 'NOTICE (the default), PROJECT or ORGANISATION.' }),
  fieldSources: t.field({ type: [FieldSourceInput], description: 'Values whose source differs from the record’s.' }),
});

/** [{ field, source }] → { field: source }; null and undefined pass through. */
export function fieldSourcesMap(list: readonly { field: string; source: string }[] | null | undefined) {
  if (list == null) return list;
  return Object.fromEntries(list.map((f) => [f.field, f.source]));
}

/**
 * The shared fields of a fact's mutation input as the record's fields. The
 * older `activeFrom` / `activeUntil` inputs are its date bounds; they are mapped
 * here, not by the record's schema, because an update merges the patch into a
 * stored record that already has bounds.
 */
export function factPatch(input: Record<string, unknown>): Record<string, unknown> {
  const { activeFrom, activeUntil, fieldSources, ...rest } = input;
  return {
    ...rest,
    ...(activeFrom !== undefined && rest.validFrom === undefined ? { validFrom: activeFrom } : {}),
    ...(activeUntil !== undefined && rest.validUntil === undefined ? { validUntil: activeUntil } : {}),
    ...(fieldSources === undefined ? {} : { fieldSources: fieldSourcesMap(fieldSources as never) }),
  };
}
