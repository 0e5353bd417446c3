// The create / update / delete flow shared by the records an organisation owns
// (controller entities, contacts, processors, retention rules): validate the
// resulting record with the manifest's own rules, write it guarded by its
// revision, and record the change. Each domain supplies only its mapping.
import GithubSlugger from 'github-slugger';
import type { z } from 'zod';
import type { Tx } from '../../db/client.js';
import type { ChangeAction } from '../../events/bus.js';
import type { Context } from '../context.js';
import { refuse } from './user-errors.js';
import { assertClaimed, idOf, localId, runWrite, snapshot, validate } from './write.js';

export interface OwnedRow {
  id: string;
  key: string;
  revision: number;
  organisationId: string;
  organisation: { slug: string };
}

export interface ChildSpec<Row extends OwnedRow, S extends z.ZodType> {
  typename: string;
  /** The payload field that carries the object, e.g. "processor". */
  field: string;
  schema: S;
  load(tx: Tx, id: string): Promise<Row | null>;
  /** The stored record in the manifest's shape, so an update validates the whole result. */
  toItem(row: Row): Record<string, unknown>;
  /** Writes a new record; returns its id. */
  create(tx: Tx, organisationId: string, item: z.output<S>): Promise<string>;
  /** Writes the record only if it is still at `expected`; returns the number of rows written. */
  update(tx: Tx, id: string, expected: number, item: z.output<S>): Promise<number>;
  /** Deletes (or retires) only if still at `expected`. */
  remove?(tx: Tx, id: string, expected: number): Promise<number>;
  /** Turns input that names other records by global ID into the manifest's keys (inside the transaction). */
  prepare?(tx: Tx, organisationId: string, patch: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** A key for a new record when the input names none. */
  keyFrom(item: Record<string, unknown>): string;
}

/** Applies a patch: undefined keeps a field, null clears it. */
export function patched(base: Record<string, unknown>, patch: Record<string, unknown>) {
  const out = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

export async function organisationSlugOf(ctx: Context, typename: string, globalId: string): Promise<string | null> {
  const id = idOf(globalId, typename);
  if (!id) return null;
  const model = (typename.charAt(0).toLowerCase() + typename.slice(1)) as 'processor';
  const row = await (
    ctx.prisma[model] as unknown as {
      findUnique(args: object): Promise<{ organisation: { slug: string } } | null>;
    }
  ).findUnique({ where: { id }, select: { organisation: { select: { slug: true } } } });
  return row?.organisation.slug ?? null;
}

export function createChild<Row extends OwnedRow, S extends z.ZodType>(
  ctx: Context,
  spec: ChildSpec<Row, S>,
  organisationSlug: string,
  input: Record<string, unknown>,
) {
  return runWrite(ctx, async ({ tx, record }) => {
    const organisation = await tx.organisation.findUnique({ where: { slug: organisationSlug } });
    if (!organisation)
      refuse('NOT_FOUND', `no organisation has the slug "${organisationSlug}"`, ['input', 'organisation']);
    const draft = patched({}, spec.prepare ? await spec.prepare(tx, organisation.id, input) : input);
    if (!draft.key) draft.key = await freeKey(tx, spec, organisation.id, spec.keyFrom(draft));
    const item = validate(spec.schema, draft);
    const id = await spec.create(tx, organisation.id, item);
    const row = (await spec.load(tx, id))!;
    await record(change('CREATE', spec, row, null, row));
    return { [spec.field]: row };
  });
}

export function updateChild<Row extends OwnedRow, S extends z.ZodType>(
  ctx: Context,
  spec: ChildSpec<Row, S>,
  globalId: string,
  expectedRevision: number,
  patch: Record<string, unknown>,
  action: ChangeAction = 'UPDATE',
) {
  return runWrite(ctx, async ({ tx, record }) => {
    const id = localId(globalId, spec.typename);
    const before = await spec.load(tx, id);
    if (!before) refuse('NOT_FOUND', `no ${spec.typename} has this id`, ['input', 'id']);
    const prepared = spec.prepare ? await spec.prepare(tx, before.organisationId, patch) : patch;
    const item = validate(spec.schema, patched(spec.toItem(before), prepared));
    const count = await spec.update(tx, id, expectedRevision, item);
    await assertClaimed(count, () => spec.load(tx, id), expectedRevision, spec.typename);
    const after = (await spec.load(tx, id))!;
    await record(change(action, spec, after, before, after));
    return { [spec.field]: after };
  });
}

export function removeChild<Row extends OwnedRow, S extends z.ZodType>(
  ctx: Context,
  spec: ChildSpec<Row, S>,
  globalId: string,
  expectedRevision: number,
  action: ChangeAction = 'DELETE',
) {
  return runWrite(ctx, async ({ tx, record }) => {
    const id = localId(globalId, spec.typename);
    const before = await spec.load(tx, id);
    if (!before) refuse('NOT_FOUND', `no ${spec.typename} has this id`, ['input', 'id']);
    const count = await spec.remove!(tx, id, expectedRevision);
    await assertClaimed(count, () => spec.load(tx, id), expectedRevision, spec.typename);
    const after = action === 'DELETE' ? null : await spec.load(tx, id);
    await record(change(action, spec, before, before, after));
    return { [spec.field]: after, deletedId: action === 'DELETE' ? globalId : null };
  });
}

function change(
  action: ChangeAction,
  spec: { typename: string },
  row: OwnedRow,
  before: object | null,
  after: object | null,
) {
  return {
    action,
    entityType: spec.typename,
    entityId: row.id,
    organisationId: row.organisationId,
    organisationSlug: row.organisation.slug,
    before: before ? snapshot(before) : null,
    after: after ? snapshot(after) : null,
  };
}

/** "zendesk", or "zendesk-2" when that key is taken in this organisation. */
async function freeKey<Row extends OwnedRow, S extends z.ZodType>(
  tx: Tx,
  spec: ChildSpec<Row, S>,
  organisationId: string,
  wanted: string,
): Promise<string> {
  const base =
    new GithubSlugger()
      .slug(wanted)
      .replace(/[^a-z0-9-]/g, '')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '') || 'record';
  const model = (spec.typename.charAt(0).toLowerCase() + spec.typename.slice(1)) as 'processor';
  const delegate = tx[model] as unknown as { findMany(args: object): Promise<{ key: string }[]> };
  const taken = new Set(
    (await delegate.findMany({ where: { organisationId, key: { startsWith: base } }, select: { key: true } })).map(
      (r) => r.key,
    ),
  );
  let key = base.slice(0, 70);
  for (let n = 2; taken.has(key); n++) key = `${base.slice(0, 70)}-${n}`;
  return key;
}
