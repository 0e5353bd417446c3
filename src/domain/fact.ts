// What every fact shares, whatever its type: when it holds (validity.ts),
// where it comes from (provenance.ts), and the building blocks several facts
// use — where data is processed (a country, or only the user's device) and
// the platforms a processing happens on.
import { z } from 'zod';
import { DataPlace, FactSource, Platform } from '../db/generated/enums.js';
import type { Tx } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import type { Path } from './errors.js';
import { columns, compact } from './mapping.js';
import { countryCode, text } from './primitives.js';
import { checkFieldSources, provenanceShape, type AddedBy, type FactSourceValue } from './provenance.js';
import {
  checkBounds,
  checkDateOrder,
  organisationTimeline,
  periodColumns,
  validityShape,
  type PeriodColumns,
  type Validity,
} from './validity.js';

/** The fields every fact has: validFrom, validUntil, source, fieldSources. */
export const factShape = { ...validityShape, ...provenanceShape };

/** The checks every fact needs: its dates in order, its field sources naming its own fields. */
export function checkFact(item: Record<string, unknown>, ctx: z.RefinementCtx, path: (string | number)[] = []) {
  checkDateOrder(item as Validity, ctx, path);
  checkFieldSources(item, ctx, path);
}

/** A fact's object schema: its own fields, the shared ones, and their checks. */
export function fact<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject({ ...shape, ...factShape }).superRefine((item, ctx) => checkFact(item, ctx));
}

// ---------------------------------------------------------------------------
// Platforms and places

/** Where a processing happens only on some platforms (a push service per app store); empty: all. */
export const platforms = z
  .array(z.enum(Platform))
  .max(10)
  .default([])
  .transform((list) => [...new Set(list)].sort());

export type PlatformValue = (typeof Platform)[keyof typeof Platform];

/** A place data is processed: a country (with a city, where the notice names one), or only the user's device. */
export type DataLocationItem = { country: string; locality?: string } | { place: 'USER_DEVICE' };

export const dataLocation = z.union([
  z.literal(DataPlace.USER_DEVICE).transform(() => ({ place: 'USER_DEVICE' as const })),
  countryCode.transform((country) => ({ country })),
  z.strictObject({ place: z.literal(DataPlace.USER_DEVICE) }),
  z.strictObject({ country: countryCode, locality: text().optional() }),
]);

const placeKey = (l: DataLocationItem) => ('place' in l ? '~device' : `${l.country}|${l.locality ?? ''}`);

/** Places in the one order they are kept in: countries by code and city, the device last. */
export const inPlaceOrder = (list: readonly DataLocationItem[]) =>
  [...list].sort((a, b) => (placeKey(a) < placeKey(b) ? -1 : placeKey(a) > placeKey(b) ? 1 : 0));

/** A set of places, kept in one order without repeats, so the same places always compare equal. */
export const dataLocations = z
  .array(dataLocation)
  .max(50)
  .default([])
  .transform((list) => {
    const seen = new Map<string, DataLocationItem>();
    for (const l of list) seen.set(placeKey(l as DataLocationItem), compact(l) as DataLocationItem);
    return inPlaceOrder([...seen.values()]);
  });

export const onUserDevice = (l: DataLocationItem): l is { place: 'USER_DEVICE' } => 'place' in l;

// ---------------------------------------------------------------------------
// Rows

interface ProvenanceColumns {
  source: FactSourceValue;
  fieldSources: unknown;
}

/** The field maps of where a fact comes from, for a row with `source` and `fieldSources` columns. */
export function provenanceColumns<R extends ProvenanceColumns>() {
  return {
    source: columns<AddedBy | undefined, { source: FactSourceValue }, R>(
      (v) => ({ source: v ?? FactSource.NOTICE }),
      (row) => (row.source === FactSource.NOTICE ? undefined : (row.source as AddedBy)),
    ),
    fieldSources: columns<
      Record<string, AddedBy> | undefined,
      { fieldSources: Prisma.InputJsonObject | typeof Prisma.DbNull },
      R
    >(
      (v) => ({ fieldSources: v ?? Prisma.DbNull }),
      (row) => (row.fieldSources ?? undefined) as Record<string, AddedBy> | undefined,
    ),
  };
}

/** The field maps of the shared fields, for a row that has their columns. */
export function factColumns<R extends ProvenanceColumns & { validFrom: string | null; validUntil: string | null }>() {
  return {
    validFrom: columns<string | undefined, { validFrom: string | null }, R>(
      (v) => ({ validFrom: v ?? null }),
      (row) => row.validFrom ?? undefined,
    ),
    validUntil: columns<string | undefined, { validUntil: string | null }, R>(
      (v) => ({ validUntil: v ?? null }),
      (row) => row.validUntil ?? undefined,
    ),
    ...provenanceColumns<R>(),
  };
}

/** The days an organisation's record holds, resolved against its notice versions. */
export async function periodOfRecord(tx: Tx, organisationId: string, item: Validity): Promise<PeriodColumns> {
  return periodColumns(item, await organisationTimeline(tx, organisationId));
}

/** Refuses bounds naming a version the organisation does not have. */
export async function checkRecordBounds(tx: Tx, organisationId: string, item: Validity, at: Path) {
  if (!item.validFrom && !item.validUntil) return;
  checkBounds(item, await organisationTimeline(tx, organisationId), at);
}

/** The table of a flat fact record (no nested rows), as the writer needs it. */
interface FlatFactTable {
  create(args: { data: never }): Promise<{ id: string }>;
  updateMany(args: { where: { id: string; revision: number }; data: never }): Promise<{ count: number }>;
  deleteMany(args: { where: { id: string; revision: number } }): Promise<{ count: number }>;
}

type OwnedRow = { id: string; organisationId: string; revision: number };

/**
 * insert, update and remove of a flat fact record owned by an organisation:
 * its days resolved from its bounds on every write, the revision claimed in the
 * same statement as the change, so of concurrent writers one wins.
 */
export function flatFactWrites<Item extends Validity, Row extends OwnedRow>(
  table: (tx: Tx) => FlatFactTable,
  fields: { createColumns(item: Item): object; updateColumns(item: Item): object },
  /** Columns of the type's own that are derived on write (a foreign key found by a key, a position). */
  derived: (tx: Tx, organisationId: string, item: Item, stored: Row | null) => Promise<object> = async () => ({}),
) {
  return {
    insert: async (tx: Tx, parent: { organisationId: string }, item: Item) =>
      table(tx).create({
        data: {
          ...fields.createColumns(item),
          ...(await periodOfRecord(tx, parent.organisationId, item)),
          ...(await derived(tx, parent.organisationId, item, null)),
          organisationId: parent.organisationId,
        } as never,
      }),
    update: async (tx: Tx, row: Row, item: Item, revision: number | null) =>
      (
        await table(tx).updateMany({
          where: { id: row.id, revision: revision ?? row.revision },
          data: {
            ...fields.updateColumns(item),
            ...(await periodOfRecord(tx, row.organisationId, item)),
            ...(await derived(tx, row.organisationId, item, row)),
            revision: { increment: 1 },
          } as never,
        })
      ).count,
    remove: async (tx: Tx, row: Row, revision: number | null) =>
      (await table(tx).deleteMany({ where: { id: row.id, revision: revision ?? row.revision } })).count,
  };
}
