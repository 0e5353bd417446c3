// What the writer needs to know about each record type. Each type's module
// (src/domain/<record>.ts) supplies it once: its validation, its mapping to
// rows, how it is read, written and removed, and who owns it. The writer
// (src/domain/writer.ts) does the rest the same way for every type.
import type { z } from 'zod';
import type { Tx } from '../db/client.js';
import type { Path } from './errors.js';

export const typenames = [
  'SupervisoryAuthority',
  'Organisation',
  'ControllerEntity',
  'Contact',
  'Processor',
  'RetentionRule',
  'OtherController',
  'Notice',
  'NoticeVersion',
  'NoticeTranslation',
  'PrivacyProfile',
  'ApiKey',
  'Webhook',
  'TcfVendorList',
  'TcfDefinition',
  'TcfVendor',
] as const;
export type Typename = (typeof typenames)[number];

/**
 * Who a record belongs to. An organisation's records are written with
 * `write:<slug>` (or `write:*`, `admin`); shared reference data and API keys
 * only with `admin`.
 */
export type Owner =
  | { kind: 'organisation'; organisationId: string | null; organisationSlug: string }
  | { kind: 'shared' }
  | { kind: 'keys' };

export const organisationOwner = (organisation: { id: string | null; slug: string }): Owner => ({
  kind: 'organisation',
  organisationId: organisation.id,
  organisationSlug: organisation.slug,
});

/** What a removal does: DELETE removes the row; RETIRE keeps it, marked as ended (processors). */
export type EndAction = 'DELETE' | 'RETIRE';
export type ChangeAction = 'CREATE' | 'UPDATE' | EndAction;

/** Every stored row has an id; most have a revision (optimistic concurrency). */
export interface StoredRow {
  id: string;
}

/** What a type's checks see of a change. */
export interface Change<Item, Row, Parent> {
  before: Row | null;
  after: Item | null;
  parent?: Parent;
  now: Date;
  /** Whether a record was created earlier in the same write (a manifest's new version and its translations). */
  createdHere(id: string): boolean;
}

export interface RecordType<Item extends object, Row extends StoredRow, Parent> {
  typename: Typename;
  /** The whole record's rules; its output is what is stored. */
  schema: z.ZodType<Item, unknown>;
  /** The record's key among its siblings ("zendesk", "privacy", "1.2", "nl"), for messages and manifests. */
  keyOf(item: Item): string;
  load(tx: Tx, id: string): Promise<Row | null>;
  /** The stored row as a domain record (the shape of manifests and audit events). */
  toItem(row: Row): Item;
  owner(row: Row): Owner;
  /**
   * The owner a new record under this parent would have; null when the parent
   * does not exist. Asked before the input is validated (authorisation comes
   * first), so it sees the input as given.
   */
  ownerOfNew(tx: Tx, parent: Parent, input: unknown): Promise<Owner | null>;
  insert(tx: Tx, parent: Parent, item: Item): Promise<{ id: string }>;
  /**
   * Optional, for types written by the thousand (a vendor list's vendors):
   * the owners of many new records, their insertion in a few statements (ids
   * in the order given) and loading them back at once. WriteSession.createMany
   * uses them; it audits and announces each record as create does.
   */
  ownersOfNew?(tx: Tx, parents: Parent[]): Promise<(Owner | null)[]>;
  insertMany?(tx: Tx, entries: { parent: Parent; item: Item }[]): Promise<string[]>;
  /** The rows of these ids, in the same order. */
  loadMany?(tx: Tx, ids: string[]): Promise<Row[]>;
  /** Writes the record's new values only if it is still at `revision`; returns the rows written. */
  update(tx: Tx, row: Row, item: Item, revision: number | null): Promise<number>;
  /** Removes the record only if it is still at `revision`; returns the rows removed. */
  remove?(tx: Tx, row: Row, revision: number | null): Promise<number>;
  /** The stored revision, for types that have one. */
  revisionOf?(row: Row): number;
  /** Unique constraints: the database columns that clash → the record field to name. */
  unique: Record<string, string>;
  /** Checks that need the database: references exist, workflow rules hold. Throws user errors. */
  check?(tx: Tx, change: Change<Item, Row, Parent>, at: Path): Promise<void>;
  /** Draft content is for those who may write it; everything else is public. */
  visibility?(row: Row): 'public' | 'writers';
  /** Fields left out of audit events and notifications (hashes of secrets). */
  hidden?: readonly string[];
}

// The registry holds record types of every item, row and parent shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRecordType = RecordType<any, any, any>;

/**
 * An update of a row with nested rows (which `updateMany` cannot write): the
 * revision is claimed first in one statement, so of concurrent writers exactly
 * one wins, then the row is written. Returns the rows claimed (0 or 1).
 */
export async function claimThenWrite(
  claim: Promise<{ count: number }>,
  write: () => Promise<unknown>,
): Promise<number> {
  const { count } = await claim;
  if (count > 0) await write();
  return count;
}
