// API keys: `pfk_<prefix>_<secret>`, shown once at creation; only the prefix
// and the SHA-256 of the whole key are kept. Managed with admin only; revoking
// keeps the key (its audit events still name it).
import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import { generateKey, SCOPE_PATTERN } from '../auth/keys.js';
import { refuse } from './errors.js';
import { fieldsOf, mapping } from './mapping.js';
import type { RecordType } from './record.js';
import type { WriteSession } from './writer.js';

const scope = z.string().regex(SCOPE_PATTERN, 'unknown scope: use read, write:<organisation-slug>, write:* or admin');

export const apiKeySchema = z.strictObject({
  label: z.string().trim().min(1, 'a key needs a label').max(200),
  scopes: z
    .array(scope)
    .min(1, 'a key needs at least one scope')
    .max(50)
    .transform((s) => [...new Set(s)]),
  prefix: z.string().regex(/^pfk_[0-9a-f]{12}$/),
  secretHash: z.string().regex(/^[0-9a-f]{64}$/),
  expiresAt: z.iso.datetime().optional(),
  revokedAt: z.iso.datetime().optional(),
});
export type ApiKeyItem = z.output<typeof apiKeySchema>;

type Row = Prisma.ApiKeyGetPayload<object>;

const instant = <K extends 'expiresAt' | 'revokedAt'>(name: K) => ({
  create: (value: string | undefined) => ({ [name]: value ? new Date(value) : null }) as { [P in K]: Date | null },
  update: (value: string | undefined) => ({ [name]: value ? new Date(value) : null }) as { [P in K]: Date | null },
  read: (row: Row) => row[name]?.toISOString(),
});

const f = fieldsOf<Row>();
const columns = mapping<ApiKeyItem, Row>()({
  label: f.value('label'),
  scopes: f.value('scopes'),
  prefix: f.value('prefix'),
  secretHash: f.value('secretHash'),
  expiresAt: instant('expiresAt'),
  revokedAt: instant('revokedAt'),
});

export const apiKey: RecordType<ApiKeyItem, Row, null> = {
  typename: 'ApiKey',
  schema: apiKeySchema,
  keyOf: (item) => item.prefix,
  hidden: ['secretHash'],
  unique: { prefix: 'prefix' },
  load: (tx, id) => tx.apiKey.findUnique({ where: { id } }),
  toItem: columns.toItem,
  owner: () => ({ kind: 'keys' }),
  ownerOfNew: async () => ({ kind: 'keys' }),
  insert: (tx, _parent, item) => tx.apiKey.create({ data: columns.createColumns(item) }),
  update: async (tx, row, item) =>
    (await tx.apiKey.updateMany({ where: { id: row.id }, data: columns.updateColumns(item) })).count,
  check: async (_tx, { before, after, now }, at) => {
    if (!after) return;
    if (!before && after.expiresAt && new Date(after.expiresAt) <= now) {
      refuse('INVALID_DATE', 'the expiry date has passed; give a date in the future', [...at, 'expiresAt']);
    }
    if (before?.revokedAt && !after.revokedAt) refuse('CONFLICT', 'a revoked key stays revoked', [...at, 'revokedAt']);
  },
};

/** Creates a key; the clear key is in the answer only, never stored. */
export async function createKey(
  session: WriteSession,
  input: { label: string; scopes: string[]; expiresAt?: Date | null },
  at: (string | number)[] = [],
) {
  session.requireWrite({ kind: 'keys' });
  const { key, prefix, secretHash } = generateKey();
  const row = await session.create(
    apiKey,
    null,
    { label: input.label, scopes: input.scopes, prefix, secretHash, expiresAt: input.expiresAt?.toISOString() },
    at,
  );
  return { id: row.id, key, prefix, label: row.label, scopes: row.scopes, expiresAt: row.expiresAt };
}

/** Revokes a key by id or prefix; revoking a revoked key changes nothing. */
export async function revokeKey(session: WriteSession, idOrPrefix: string, at: (string | number)[] = []) {
  const found = await session.tx.apiKey.findFirst({
    where: /^pfk_[0-9a-f]{12}$/.test(idOrPrefix) ? { prefix: idOrPrefix } : { id: safeId(idOrPrefix) },
  });
  if (!found) refuse('NOT_FOUND', `no key has the id or prefix "${idOrPrefix}"`, at);
  if (found.revokedAt) return { ...found, alreadyRevoked: true };
  session.requireWrite(apiKey.owner(found));
  const row = await session.update(apiKey, found, { patch: { revokedAt: session.now.toISOString() } }, at);
  return { ...row, alreadyRevoked: false };
}

const safeId = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
    ? value
    : '00000000-0000-0000-0000-000000000000';
