// The change log: a durable, ordered record of every committed change (a
// transactional outbox). The writer appends one row per changed record as the
// last step of the write's own transaction, so an acknowledged write always
// has its rows and a rolled-back one never has any.
//
// Ordering. A sequence number drawn at insert time is not commit order: a
// transaction that drew 10 may commit after one that drew 11, and a reader
// that has seen 11 would skip 10 for good. So the rows are inserted under a
// transaction-scoped advisory lock taken just before the insert and held until
// the transaction ends: log writers serialise only on this last step (one
// INSERT and the COMMIT), and a transaction draws its positions only after the
// previous holder's commit is visible. Hence the committed positions are, at
// every moment, a prefix of the sequence (with gaps where a transaction rolled
// back after its insert): a reader that has seen position n has seen, or will
// never see, everything below n. `head()` is therefore a safe place to resume.
//
// Cursors are opaque to clients ("change:<position>" in base64url) and parsed
// strictly: a malformed one is refused before any SQL runs.
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Caller } from '../auth/actor.js';
import type { PrismaClient, Tx } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import type { ChangeAction, Owner } from '../domain/record.js';
import type { RecordedChange, WriteRequest } from '../domain/writer.js';

/** The advisory lock log writers hold from their insert to their commit (Prisma's migrate lock is 72707369). */
export const CHANGE_LOG_LOCK = 72707370;

/** Who may read an entry. */
export type Audience = 'public' | 'writers' | 'admin';

export function audienceOf(owner: Owner, visibility: 'public' | 'writers'): Audience {
  if (owner.kind === 'keys') return 'admin';
  if (owner.kind === 'shared') return 'public';
  return visibility;
}

/**
 * Appends a unit of work's changes to the log, inside its transaction; returns
 * their positions. Called last in the transaction (see the top of this file).
 */
export async function appendChanges(tx: Tx, request: WriteRequest, changes: RecordedChange[]): Promise<bigint[]> {
  if (changes.length === 0) return [];
  const writeId = randomUUID();
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK})`;
  const rows = await tx.changeLogEntry.createManyAndReturn({
    select: { position: true },
    data: changes.map((c) => ({
      writeId,
      action: c.action,
      entityType: c.typename,
      entityId: c.id,
      organisationId: c.owner.kind === 'organisation' ? c.owner.organisationId : null,
      organisationSlug: c.owner.kind === 'organisation' ? c.owner.organisationSlug : null,
      revision: c.revision,
      key: c.key,
      changedFields: c.changedFields,
      before: (c.before as Prisma.InputJsonObject | null) ?? Prisma.DbNull,
      after: (c.after as Prisma.InputJsonObject | null) ?? Prisma.DbNull,
      audience: audienceOf(c.owner, c.visibility),
      requestId: request.requestId,
    })),
  });
  // One INSERT draws its positions in row order.
  return rows.map((r) => r.position).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The newest committed position (0 when the log is empty): everything at or below it is visible now. */
export async function head(prisma: PrismaClient | Tx): Promise<bigint> {
  const found = await prisma.changeLogEntry.aggregate({ _max: { position: true } });
  return found._max.position ?? 0n;
}

// ---------------------------------------------------------------------------
// Cursors

const MAX_POSITION = 9_223_372_036_854_775_807n;
const CURSOR_TEXT = /^[A-Za-z0-9_-]{1,40}$/;
const CURSOR_BODY = /^change:(0|[1-9][0-9]{0,18})$/;

export function encodeCursor(position: bigint): string {
  return Buffer.from(`change:${position}`, 'utf8').toString('base64url');
}

/** The position behind a cursor, or null when the text is not one of ours (exactly as we write them). */
export function decodeCursor(text: string): bigint | null {
  if (!CURSOR_TEXT.test(text)) return null;
  const match = CURSOR_BODY.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) return null;
  const position = BigInt(match[1]!);
  if (position > MAX_POSITION || encodeCursor(position) !== text) return null;
  return position;
}

/** A client's cursor argument: null/absent is the start of the log; a malformed one is BAD_USER_INPUT naming it. */
export function cursorArgument(value: string | null | undefined, argument: string): bigint {
  if (value === null || value === undefined) return 0n;
  const position = decodeCursor(value);
  if (position === null) {
    throw new GraphQLError(`"${argument}" is not a change cursor of this API (use a cursor it gave you)`, {
      extensions: { code: 'BAD_USER_INPUT', argument },
    });
  }
  return position;
}

// ---------------------------------------------------------------------------
// Reading

/** The entries this caller may read: public ones; the writers' of organisations it may write; all for admins. */
export function visibleTo(caller: Caller): Prisma.ChangeLogEntryWhereInput {
  const scopes = caller.actor?.scopes ?? [];
  if (scopes.includes('admin')) return {};
  if (scopes.includes('write:*')) {
    return { OR: [{ audience: 'public' }, { audience: 'writers', organisationSlug: { not: null } }] };
  }
  const slugs = scopes.filter((s) => s.startsWith('write:')).map((s) => s.slice('write:'.length));
  if (slugs.length === 0) return { audience: 'public' };
  return { OR: [{ audience: 'public' }, { audience: 'writers', organisationSlug: { in: slugs } }] };
}

export interface ChangeFilter {
  organisation?: string | null;
  types?: readonly string[] | null;
  actions?: readonly ChangeAction[] | null;
}

export function filterWhere(filter: ChangeFilter): Prisma.ChangeLogEntryWhereInput {
  return {
    ...(filter.organisation ? { organisationSlug: filter.organisation } : {}),
    ...(filter.types?.length ? { entityType: { in: [...filter.types] } } : {}),
    ...(filter.actions?.length ? { action: { in: [...filter.actions] } } : {}),
  };
}

export type ChangeLogRow = Prisma.ChangeLogEntryGetPayload<object>;

export interface ChangePage {
  entries: ChangeLogRow[];
  hasNextPage: boolean;
  /** Where the next read starts: the last entry's position, or the head when the page reached it. */
  end: bigint;
}

/**
 * Up to `first` entries after `since` that the caller may read and the filter
 * keeps, oldest first. The head is read first: everything up to it is
 * committed, so when the page reaches it the reader may resume from the head
 * itself, skipping entries it may not read or did not ask for.
 */
export async function readChanges(
  prisma: PrismaClient,
  options: { since: bigint; first: number; caller: Caller; filter?: ChangeFilter },
): Promise<ChangePage> {
  const top = await head(prisma);
  const entries = await prisma.changeLogEntry.findMany({
    where: {
      AND: [
        { position: { gt: options.since, lte: top } },
        visibleTo(options.caller),
        filterWhere(options.filter ?? {}),
      ],
    },
    orderBy: { position: 'asc' },
    take: options.first + 1,
  });
  const hasNextPage = entries.length > options.first;
  const page = entries.slice(0, options.first);
  const last = page[page.length - 1]?.position ?? options.since;
  const end = hasNextPage ? last : top > options.since ? top : options.since;
  return { entries: page, hasNextPage, end };
}
