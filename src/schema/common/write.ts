// How every mutation writes: in one transaction, with its audit events in the
// same transaction, and its change notifications published only after commit.
// Refusals (validation, not found, conflict) roll everything back and come
// back as user errors.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { z } from 'zod';
import type { Tx } from '../../db/client.js';
import { Prisma } from '../../db/generated/client.js';
import { publishChange, type ChangeAction, type ChangeEvent } from '../../events/bus.js';
import { codeOf, formatPath } from '../../manifest/parse.js';
import type { Context } from '../context.js';
import { isUserErrorCode, UserInputError, refuse, type UserErrorShape } from './user-errors.js';

export interface Change {
  action: ChangeAction;
  entityType: string;
  entityId: string;
  organisationId: string | null;
  organisationSlug: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface WriteScope {
  tx: Tx;
  /** Writes the audit event now (same transaction) and queues the notification for after commit. */
  record(change: Change): Promise<void>;
}

// Bookkeeping and relation keys are not "fields" a reader of the change cares about.
const IGNORED_IN_DIFF = new Set(['id', 'revision', 'updatedAt', 'createdAt', 'organisationId', 'organisation']);

/** JSON-safe copy of a row: dates as ISO strings. */
export function snapshot(row: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(row)) as Record<string, unknown>;
}

export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys]
    .filter((k) => !IGNORED_IN_DIFF.has(k))
    .filter((k) => JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null))
    .sort();
}

export async function runWrite<R extends object>(
  ctx: Context,
  work: (scope: WriteScope) => Promise<R>,
): Promise<(R & { userErrors: UserErrorShape[] }) | { userErrors: UserErrorShape[] }> {
  const blocked = ctx.writesBlocked();
  if (blocked) throw unavailable(blocked);
  const events: ChangeEvent[] = [];
  try {
    const result = await ctx.prisma.$transaction(
      async (tx) => {
        const done = await work({
          tx,
          record: async (change) => {
            const fields = changedFields(change.before, change.after);
            const actor = ctx.caller.actor;
            await tx.auditEvent.create({
              data: {
                actorKeyId: actor?.keyId ?? null,
                actorLabel: actor?.label ?? 'anonymous',
                action: change.action,
                entityType: change.entityType,
                entityId: change.entityId,
                organisationId: change.organisationId,
                before: (change.before ?? Prisma.DbNull) as never,
                after: (change.after ?? Prisma.DbNull) as never,
                changedFields: fields,
                requestId: ctx.requestId,
              },
            });
            events.push({
              action: change.action,
              changedFields: fields,
              at: new Date(),
              entityType: change.entityType,
              entityId: change.entityId,
              organisationSlug: change.organisationSlug,
            });
          },
        });
        if (events.length > 0) {
          await ctx.beforeCommit().catch((error: unknown) => {
            throw unavailable(
              `Nothing was written: the shared cache did not accept the change (${(error as Error).message}). Try again shortly.`,
            );
          });
        }
        return done;
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
    if (events.length > 0) await ctx.afterWrite();
    for (const event of events) publishChange(ctx.events, event);
    return { ...result, userErrors: [] };
  } catch (error) {
    if (error instanceof UserInputError) return { userErrors: error.userErrors };
    const conflict = uniqueViolation(error);
    if (conflict) return { userErrors: [conflict] };
    throw error;
  }
}

/** A write refused because shared state is away: 503, worth retrying. */
function unavailable(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': '5' } } },
  });
}

function uniqueViolation(error: unknown): UserErrorShape | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return null;
  const target = (error.meta?.target as string[] | undefined) ?? [];
  const field = target.filter((f) => f !== 'organisationId' && f !== 'noticeId');
  return {
    code: 'CONFLICT',
    field: field.length ? ['input', ...field] : null,
    message: `another record already has this ${field.join(' and ') || 'value'}`,
  };
}

/** Validates with a zod schema; problems become user errors under `input`. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, base: string[] = ['input']): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UserInputError(
    result.error.issues.map((issue) => {
      const code = codeOf(issue);
      return {
        field: [
          ...base,
          ...formatPath(issue.path)
            .split('.')
            .filter((p) => p !== '(root)'),
        ],
        code: isUserErrorCode(code) ? code : 'INVALID',
        message: issue.message,
      };
    }),
  );
}

/** The database id behind a global ID (of the given type, when one is given), or null. */
export function idOf(globalId: string, typename?: string): string | null {
  try {
    const decoded = decodeGlobalID(globalId);
    if ((!typename || decoded.typename === typename) && /^[0-9a-f-]{36}$/i.test(decoded.id)) return decoded.id;
  } catch {
    // not a global ID
  }
  return null;
}

/** The database id behind a global ID of the expected type, or NOT_FOUND. */
export function localId(globalId: string, typename: string, field: string[] = ['input', 'id']): string {
  return idOf(globalId, typename) ?? refuse('NOT_FOUND', `no ${typename} has this id`, field);
}

/** Refuses a stale revision, naming the stored one. */
export function checkRevision(stored: { revision: number }, expected: number, typename: string) {
  if (stored.revision !== expected) {
    refuse(
      'CONFLICT',
      `this ${typename} has changed since revision ${expected}; it is at revision ${stored.revision}`,
      ['input', 'expectedRevision'],
      {
        currentRevision: stored.revision,
      },
    );
  }
}

/**
 * After a guarded write (`where: { id, revision: expected }`): zero rows means
 * another writer got there first (CONFLICT, with the stored revision) or the
 * record is gone (NOT_FOUND).
 */
export async function assertClaimed(
  count: number,
  current: () => Promise<{ revision: number } | null>,
  expected: number,
  typename: string,
) {
  if (count > 0) return;
  const stored = await current();
  if (!stored) refuse('NOT_FOUND', `no ${typename} has this id`, ['input', 'id']);
  checkRevision(stored, expected, typename);
}
