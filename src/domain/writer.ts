// The one way anything changes. Every write — a GraphQL mutation, a manifest
// (API or command line), an import, key management — runs as a unit of work
// here, and each change in it is handled the same way:
//   - one transaction: all of it is written, or nothing;
//   - authorisation by the organisation the record belongs to (shared
//     reference data and keys: admin), and records the caller may not see
//     (drafts) answer as if they did not exist;
//   - validation by the record type's own rules, and its workflow checks;
//   - optimistic revision checks, so no update is lost;
//   - one audit event per changed record, with its before and after;
//   - one change-log entry per changed record, last in the transaction, in
//     commit order (src/changes/log.ts);
//   - change notifications after commit, for every changed record;
//   - the response cache's new generation (before commit and after);
//   - unique-key clashes answered as CONFLICT naming the field, also when
//     concurrent writers race.
import { describeProblem, type Caller } from '../auth/actor.js';
import { appendChanges } from '../changes/log.js';
import { canWrite } from '../auth/keys.js';
import type { PrismaClient, Tx } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { changedFields, comparable } from './compare.js';
import { pathOf, refuse, under, UserInputError, type Path, type UserErrorShape } from './errors.js';
import type { AnyRecordType, ChangeAction, Owner, RecordType, StoredRow, Typename } from './record.js';
import { isRetryable, uniqueViolation } from './unique.js';
import { validate } from './validate.js';

/** One changed record, as audited and announced. */
export interface RecordedChange {
  action: ChangeAction;
  typename: Typename;
  id: string;
  key: string;
  owner: Owner;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changedFields: string[];
  /** The record's revision after the change (before it, for a removal); null for types without one. */
  revision: number | null;
  /** Its place in the change log, once the transaction has appended it. */
  position?: bigint;
  /** Drafts are news only for those who may write them. */
  visibility: 'public' | 'writers';
  /** Where the change was asked for (a manifest's path, a mutation's input). */
  path: string[];
}

export interface WriteRequest {
  caller: Caller;
  /** Recorded in audit events (X-Request-Id, or one per command). */
  requestId: string;
  /** "Today" for the write's rules (retirement dates, publication). */
  now?: Date;
}

export interface WriterOptions {
  prisma: PrismaClient;
  /** Announces committed changes (change notifications). */
  publish?: (changes: RecordedChange[], at: Date) => void;
  /** Inside the transaction, just before commit; a failure refuses the write (the shared cache). */
  beforeCommit?: () => Promise<void>;
  /** After commit, before answering (a new cache generation). */
  afterCommit?: () => Promise<void>;
  /** Why writes are refused just now, or null (shared state away). */
  writesBlocked?: () => string | null;
}

export type WriteOutcome<R> =
  { ok: true; value: R; changes: RecordedChange[]; dryRun: boolean } | { ok: false; userErrors: UserErrorShape[] };

/** Writes refused because something shared is away; worth retrying. */
export class WritesUnavailableError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ATTEMPTS = 5;
/**
 * A key the writer chose (from a name) that a concurrent write took first is
 * chosen again: of n writers racing for one name, one wins each round.
 */
const MAX_DERIVED_ATTEMPTS = 30;

class DryRunRollback extends Error {
  constructor(readonly value: unknown) {
    super('dry run');
  }
}

/** A patch on a stored record: undefined keeps a field, null clears it. */
export function patched<T extends object>(base: T, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

function snapshotOf(type: AnyRecordType, item: object | null): Record<string, unknown> | null {
  if (!item) return null;
  const copy = JSON.parse(JSON.stringify(item)) as Record<string, unknown>;
  for (const field of type.hidden ?? []) delete copy[field];
  return copy;
}

/** Whether the caller may write records of this owner. */
export function mayWrite(caller: Caller, owner: Owner): boolean {
  const scopes = caller.actor?.scopes ?? [];
  if (owner.kind === 'organisation') return canWrite(scopes, owner.organisationSlug);
  return scopes.includes('admin');
}

function forbidden(caller: Caller, owner: Owner, at: Path | null = null): never {
  const field = at && at.length > 0 ? at : null;
  if (!caller.actor) refuse('FORBIDDEN', `Forbidden: ${describeProblem(caller)}.`, field);
  const needed =
    owner.kind === 'organisation'
      ? `write:${owner.organisationSlug} (or write:*, admin)`
      : owner.kind === 'shared'
        ? 'admin: supervisory authorities are shared reference data'
        : 'admin';
  refuse('FORBIDDEN', `Forbidden: the API key lacks the scope for this; it needs ${needed}.`, field);
}

/** A unit of work: the changes of one write, inside its transaction. */
export class WriteSession {
  readonly changes: RecordedChange[] = [];
  readonly now: Date;
  /** Fields whose value the writer chose (a key from a name): a clash there is retried, not refused. */
  readonly derived = new Set<string>();
  private readonly created = new Set<string>();

  constructor(
    readonly tx: Tx,
    readonly request: WriteRequest,
  ) {
    this.now = request.now ?? new Date();
  }

  get caller(): Caller {
    return this.request.caller;
  }

  /** Today, YYYY-MM-DD. */
  get today(): string {
    return this.now.toISOString().slice(0, 10);
  }

  /**
   * A stored record the caller may write, or NOT_FOUND when there is none —
   * or none the caller may see (a draft of another organisation looks absent).
   */
  async load<Item extends object, Row extends StoredRow>(
    type: RecordType<Item, Row, unknown>,
    id: string,
    at: Path,
  ): Promise<Row> {
    const row = UUID.test(id) ? await type.load(this.tx, id) : null;
    const owner = row && type.owner(row);
    if (!row || !owner || (type.visibility?.(row) === 'writers' && !mayWrite(this.caller, owner))) {
      refuse('NOT_FOUND', `no ${type.typename} has this id`, at);
    }
    if (!mayWrite(this.caller, owner)) forbidden(this.caller, owner, at);
    return row;
  }

  /** Creates a record under `parent` from an input the type validates. */
  async create<Item extends object, Row extends StoredRow, Parent>(
    type: RecordType<Item, Row, Parent>,
    parent: Parent,
    input: unknown,
    at: Path,
  ): Promise<Row> {
    const owner = await type.ownerOfNew(this.tx, parent, input);
    if (!owner) refuse('NOT_FOUND', `the ${type.typename} belongs to something that does not exist`, at);
    if (!mayWrite(this.caller, owner)) forbidden(this.caller, owner, at);
    const item = validate(type.schema, input, at);
    await type.check?.(this.tx, { ...this.context(), before: null, after: item, parent }, at);
    const { id } = await this.guard(type, at, () => type.insert(this.tx, parent, item));
    const row = (await type.load(this.tx, id))!;
    this.created.add(id);
    this.record('CREATE', type, row, null, type.toItem(row), at);
    return row;
  }

  /**
   * Creates many records of one type, each exactly as `create` would (owner,
   * authorisation, validation, checks, one audit event and notification per
   * record), with the type's bulk statements where it has them. A unique-key
   * clash is a CONFLICT for the batch, at `at`.
   */
  async createMany<Item extends object, Row extends StoredRow, Parent>(
    type: RecordType<Item, Row, Parent>,
    entries: { parent: Parent; input: unknown; at: Path }[],
    at: Path,
  ): Promise<Row[]> {
    const { ownersOfNew, insertMany, loadMany } = type;
    if (!insertMany || !loadMany) {
      const rows: Row[] = [];
      for (const e of entries) rows.push(await this.create(type, e.parent, e.input, e.at));
      return rows;
    }
    const owners = ownersOfNew
      ? await ownersOfNew(
          this.tx,
          entries.map((e) => e.parent),
        )
      : await Promise.all(entries.map((e) => type.ownerOfNew(this.tx, e.parent, e.input)));
    const items: { parent: Parent; item: Item }[] = [];
    for (const [i, e] of entries.entries()) {
      const owner = owners[i];
      if (!owner) refuse('NOT_FOUND', `the ${type.typename} belongs to something that does not exist`, e.at);
      if (!mayWrite(this.caller, owner)) forbidden(this.caller, owner, e.at);
      const item = validate(type.schema, e.input, e.at);
      await type.check?.(this.tx, { ...this.context(), before: null, after: item, parent: e.parent }, e.at);
      items.push({ parent: e.parent, item });
    }
    if (items.length === 0) return [];
    const ids = await this.guard(type, at, () => insertMany(this.tx, items));
    const rows = await loadMany(this.tx, ids);
    for (const [i, row] of rows.entries()) {
      this.created.add(row.id);
      this.record('CREATE', type, row, null, type.toItem(row), entries[i]!.at);
    }
    return rows;
  }

  /**
   * Updates a stored record, to `item` whole (manifests) or by `patch` on the
   * stored record (undefined keeps a field, null clears it); the result is
   * validated whole. An update that changes nothing writes nothing and needs
   * no permission. `expectedRevision` is the revision the caller read; without
   * it (manifests) the one just loaded is used.
   */
  async update<Item extends object, Row extends StoredRow>(
    type: RecordType<Item, Row, unknown>,
    target: string | Row,
    change: {
      patch?: Record<string, unknown>;
      item?: unknown;
      expectedRevision?: number | null;
      action?: 'UPDATE' | 'RETIRE';
    },
    at: Path,
  ): Promise<Row> {
    const before = typeof target === 'string' ? await this.load(type, target, at) : target;
    this.checkRevision(type, before, change.expectedRevision);
    const stored = type.toItem(before);
    const item = validate(type.schema, change.item ?? patched(stored, change.patch ?? {}), at);
    if (comparable(snapshotOf(type, stored)) === comparable(snapshotOf(type, item))) return before;
    if (typeof target !== 'string') this.authorise(type, before, at);
    await type.check?.(this.tx, { ...this.context(), before, after: item }, at);
    const revision = change.expectedRevision ?? type.revisionOf?.(before) ?? null;
    const count = await this.guard(type, at, () => type.update(this.tx, before, item, revision));
    const row = await type.load(this.tx, before.id);
    if (count === 0 || !row) this.lostRace(type, row, revision, at);
    this.record(change.action ?? 'UPDATE', type, row, stored, type.toItem(row), at);
    return row;
  }

  /** Removes a stored record (the type decides what removal means). */
  async remove<Item extends object, Row extends StoredRow>(
    type: RecordType<Item, Row, unknown>,
    target: string | Row,
    expectedRevision: number | null | undefined,
    at: Path,
  ): Promise<Row> {
    if (!type.remove) refuse('INVALID', `a ${type.typename} cannot be removed`, at);
    const before = typeof target === 'string' ? await this.load(type, target, at) : target;
    if (typeof target !== 'string') this.authorise(type, before, at);
    this.checkRevision(type, before, expectedRevision);
    await type.check?.(this.tx, { ...this.context(), before, after: null }, at);
    const revision = expectedRevision ?? type.revisionOf?.(before) ?? null;
    const count = await type.remove(this.tx, before, revision);
    if (count === 0) this.lostRace(type, await type.load(this.tx, before.id), revision, at);
    this.record('DELETE', type, before, type.toItem(before), null, at);
    return before;
  }

  /** Refuses (FORBIDDEN) unless the caller may write records of this owner. */
  requireWrite(owner: Owner, at: Path | null = null) {
    if (!mayWrite(this.caller, owner)) forbidden(this.caller, owner, at);
  }

  private context() {
    return { now: this.now, createdHere: (id: string) => this.created.has(id) };
  }

  private authorise(type: AnyRecordType, row: StoredRow, at: Path) {
    const owner = type.owner(row) as Owner;
    if (!mayWrite(this.caller, owner)) {
      if (type.visibility?.(row) === 'writers') refuse('NOT_FOUND', `no ${type.typename} has this id`, at);
      forbidden(this.caller, owner, at);
    }
  }

  private checkRevision(type: AnyRecordType, row: StoredRow, expected: number | null | undefined) {
    if (expected == null || !type.revisionOf) return;
    const stored = type.revisionOf(row) as number;
    if (stored !== expected) this.conflict(type.typename, expected, stored);
  }

  private conflict(typename: string, expected: number, stored: number): never {
    refuse(
      'CONFLICT',
      `this ${typename} has changed since revision ${expected}; it is at revision ${stored}`,
      ['input', 'expectedRevision'],
      { currentRevision: stored },
    );
  }

  /** Zero rows written: another writer got there first, or the record is gone. */
  private lostRace(type: AnyRecordType, now: StoredRow | null, expected: number | null, at: Path): never {
    if (!now) refuse('NOT_FOUND', `no ${type.typename} has this id`, at);
    const stored = type.revisionOf?.(now) as number | undefined;
    if (expected !== null && stored !== undefined) this.conflict(type.typename, expected, stored);
    refuse('CONFLICT', `this ${type.typename} was changed by another write; try again`, at);
  }

  /** Runs a statement, turning a unique-key clash into CONFLICT on the record's field. */
  private async guard<T>(type: AnyRecordType, at: Path, statement: () => Promise<T>): Promise<T> {
    try {
      return await statement();
    } catch (error) {
      const columns = uniqueViolation(error);
      if (!columns) throw error;
      const fields = columns.map((c) => type.unique[c]).filter((f): f is string => Boolean(f));
      const field = fields[0];
      throw new UserInputError([
        {
          code: 'CONFLICT',
          field: field ? pathOf([...at, field]) : pathOf(at),
          message: `another ${type.typename} already has this ${fields.join(' and ') || 'value'}`,
        },
      ]);
    }
  }

  private record(
    action: ChangeAction,
    type: AnyRecordType,
    row: StoredRow,
    before: object | null,
    after: object | null,
    at: Path,
  ) {
    const b = snapshotOf(type, before);
    const a = snapshotOf(type, after);
    this.changes.push({
      action,
      typename: type.typename,
      id: row.id,
      key: type.keyOf(after ?? before),
      owner: type.owner(row),
      before: b,
      after: a,
      changedFields: action === 'DELETE' ? [] : changedFields(b, a),
      revision: type.revisionOf?.(row) ?? null,
      visibility: type.visibility?.(row) ?? 'public',
      path: pathOf(at),
    });
  }
}

/** Writes the audit events of a unit of work, in its transaction. */
async function audit(tx: Tx, request: WriteRequest, changes: RecordedChange[]) {
  const actor = request.caller.actor;
  if (changes.length === 0) return;
  await tx.auditEvent.createMany({
    data: changes.map((c) => ({
      actorKeyId: actor?.keyId ?? null,
      actorLabel: actor?.label ?? 'anonymous',
      action: c.action,
      entityType: c.typename,
      entityId: c.id,
      organisationId: c.owner.kind === 'organisation' ? c.owner.organisationId : null,
      before: (c.before as Prisma.InputJsonObject | null) ?? Prisma.DbNull,
      after: (c.after as Prisma.InputJsonObject | null) ?? Prisma.DbNull,
      changedFields: c.changedFields,
      requestId: request.requestId,
    })),
  });
}

export class Writer {
  constructor(private readonly options: WriterOptions) {}

  /**
   * Runs a unit of work in one transaction. Refusals (validation, authorisation,
   * conflicts) roll everything back and come back as user errors; faults are
   * thrown. With `dryRun` everything runs and is rolled back, so what is
   * reported is exactly what a real run would do.
   */
  async run<R>(
    request: WriteRequest,
    work: (session: WriteSession) => Promise<R>,
    options: { dryRun?: boolean } = {},
  ): Promise<WriteOutcome<R>> {
    const blocked = this.options.writesBlocked?.();
    if (blocked) throw new WritesUnavailableError(blocked);
    for (let attempt = 1; ; attempt++) {
      let session: WriteSession | undefined;
      try {
        const value = await this.options.prisma.$transaction(
          async (tx) => {
            session = new WriteSession(tx, request);
            const value = await work(session);
            if (options.dryRun) throw new DryRunRollback(value);
            await audit(tx, request, session.changes);
            if (session.changes.length > 0) await this.beforeCommit();
            // Last: log writers serialise on this step only, until the commit.
            const positions = await appendChanges(tx, request, session.changes);
            session.changes.forEach((c, i) => (c.position = positions[i]));
            return value;
          },
          { timeout: 120_000, maxWait: 30_000 },
        );
        const changes = session!.changes;
        if (changes.length > 0) {
          await this.options.afterCommit?.();
          this.options.publish?.(changes, session!.now);
        }
        return { ok: true, value, changes, dryRun: false };
      } catch (error) {
        if (error instanceof DryRunRollback) {
          return { ok: true, value: error.value as R, changes: session!.changes, dryRun: true };
        }
        if (error instanceof UserInputError) {
          const clash = error.userErrors[0];
          const derived = clash?.code === 'CONFLICT' && session?.derived.has(clash.field?.join('.') ?? '');
          if (derived && attempt < MAX_DERIVED_ATTEMPTS) continue;
          return { ok: false, userErrors: error.userErrors };
        }
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) continue;
        if (uniqueViolation(error)) {
          return {
            ok: false,
            userErrors: [{ code: 'CONFLICT', field: null, message: 'another record already has this value' }],
          };
        }
        throw error;
      }
    }
  }

  private async beforeCommit() {
    try {
      await this.options.beforeCommit?.();
    } catch (error) {
      throw new WritesUnavailableError(
        `Nothing was written: the shared cache did not accept the change (${(error as Error).message}). Try again shortly.`,
      );
    }
  }
}

export { under };
