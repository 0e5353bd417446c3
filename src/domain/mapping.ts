// One definition per record type of how its fields are stored: each field of
// the domain record names its columns, and both directions (record → columns
// for writes, row → record for reads) are derived from that one map. The map
// must name every field of the record (the compiler says which one a new field
// still lacks), so a partial update can never clear a field a hand-written
// inverse forgot, and the columns it produces are checked against Prisma's
// input types where a record type writes them.
import { Prisma } from '../db/generated/client.js';

/**
 * How one field is stored. `create` and `update` differ only for nested rows
 * (a create inserts them; an update replaces them); for columns they are one.
 */
export interface FieldMap<V, C, U, R> {
  create(value: V): C;
  update(value: V): U;
  /** The value, read back from a stored row. */
  read(row: R): V;
}

type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** The columns a map writes on create, as one object type. */
export type CreateColumnsOf<M> = Intersection<
  { [K in keyof M]: M[K] extends { create(value: never): infer C } ? C : never }[keyof M]
>;
/** The same, on update. */
export type UpdateColumnsOf<M> = Intersection<
  { [K in keyof M]: M[K] extends { update(value: never): infer U } ? U : never }[keyof M]
>;

/** A field stored in columns of its row: the same write on create and update. */
export function columns<V, W, R>(write: (value: V) => W, read: (row: R) => V): FieldMap<V, W, W, R> {
  return { create: write, update: write, read };
}

export type LocalizedText = Record<string, string>;

/** YYYY-MM-DD ↔ a DATE column (midnight UTC). */
export const toDate = (value: string) => new Date(`${value}T00:00:00Z`);
export const fromDate = (value: Date) => value.toISOString().slice(0, 10);

const column = <K extends string, V>(name: K, value: V) => ({ [name]: value }) as { [P in K]: V };

/** Field maps for rows of type R. */
export function fieldsOf<R>() {
  type Col = keyof R & string;
  return {
    /** A required value kept as it is. */
    value: <K extends Col>(name: K) =>
      columns<R[K], { [P in K]: R[K] }, R>(
        (value) => column(name, value),
        (row) => row[name],
      ),
    /** An optional value: absent in the record, NULL in the column. */
    optional: <K extends Col>(name: K) =>
      columns<NonNullable<R[K]> | undefined, { [P in K]: R[K] }, R>(
        (value) => column(name, (value ?? null) as R[K]),
        (row) => (row[name] ?? undefined) as NonNullable<R[K]> | undefined,
      ),
    /** A required calendar date. */
    date: <K extends Col>(name: K) =>
      columns<string, { [P in K]: Date }, R>(
        (value) => column(name, toDate(value)),
        (row) => fromDate(row[name] as unknown as Date),
      ),
    /** An optional calendar date. */
    optionalDate: <K extends Col>(name: K) =>
      columns<string | undefined, { [P in K]: Date | null }, R>(
        (value) => column(name, value ? toDate(value) : null),
        (row) => (row[name] ? fromDate(row[name] as unknown as Date) : undefined),
      ),
    /** A JSON document (localised text, a facts document). */
    json: <K extends Col, V>(name: K) =>
      columns<V, { [P in K]: Prisma.InputJsonValue }, R>(
        (value) => column(name, value as Prisma.InputJsonValue),
        (row) => row[name] as V,
      ),
    /** An optional JSON document: NULL in the column when absent. */
    optionalJson: <K extends Col, V>(name: K) =>
      columns<V | undefined, { [P in K]: Prisma.InputJsonValue | typeof Prisma.DbNull }, R>(
        (value) => column(name, value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue)),
        (row) => (row[name] ?? undefined) as V | undefined,
      ),
  };
}

export interface Address {
  street?: string;
  postalCode?: string;
  locality?: string;
  region?: string;
  country: string;
}

interface AddressColumns {
  street: string | null;
  postalCode: string | null;
  locality: string | null;
  region: string | null;
  country: string | null;
}

const optionalText = (value: string | null) => value ?? undefined;

function addressOf(row: AddressColumns): Address | undefined {
  if (!row.country) return undefined;
  return compact({
    street: optionalText(row.street),
    postalCode: optionalText(row.postalCode),
    locality: optionalText(row.locality),
    region: optionalText(row.region),
    country: row.country,
  });
}

function addressColumns(a: Address | undefined): AddressColumns {
  return {
    street: a?.street ?? null,
    postalCode: a?.postalCode ?? null,
    locality: a?.locality ?? null,
    region: a?.region ?? null,
    country: a?.country ?? null,
  };
}

/** A postal address kept in five columns of its owner, required. */
export const requiredAddress = <R extends AddressColumns>() =>
  columns<Address, Omit<AddressColumns, 'country'> & { country: string }, R>(
    (value) => ({ ...addressColumns(value), country: value.country }),
    (row) => addressOf(row)!,
  );

/** The same, optional. */
export const optionalAddress = <R extends AddressColumns>() =>
  columns<Address | undefined, AddressColumns, R>(addressColumns, addressOf);

/** Drops undefined values, so a record read back compares and validates like one written by hand. */
export function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

export interface Mapping<Item, R, M> {
  /** A stored row as a domain record: the shape manifests, audit events and validation use. */
  toItem(row: R): Item;
  /** The columns (and nested rows) that store a new record. */
  createColumns(item: Item): CreateColumnsOf<M>;
  /** The columns that replace a stored record's values. */
  updateColumns(item: Item): UpdateColumnsOf<M>;
  fields: (keyof Item & string)[];
}

/** The record ↔ row mapping of one record type, from its field map. */
export function mapping<Item, R>() {
  return <M extends { [K in keyof Item]-?: FieldMap<Item[K], unknown, unknown, R> }>(map: M): Mapping<Item, R, M> => {
    const entries = Object.entries(map) as [keyof Item & string, FieldMap<unknown, object, object, R>][];
    const value = (item: Item, field: string) => (item as Record<string, unknown>)[field];
    return {
      fields: entries.map(([field]) => field),
      toItem: (row) => compact(Object.fromEntries(entries.map(([field, f]) => [field, f.read(row)]))) as Item,
      createColumns: (item) => Object.assign({}, ...entries.map(([field, f]) => f.create(value(item, field)))),
      updateColumns: (item) => Object.assign({}, ...entries.map(([field, f]) => f.update(value(item, field)))),
    };
  };
}
