// API keys from the command line: create (the key is shown once), revoke, list.
// Through the writer, so each creation and revocation is audited.
import { z } from 'zod';
import { createKey as createKeyRecord, revokeKey as revokeKeyRecord } from '../domain/api-key.js';
import { CommandError, refused, writeAsCommand, type CommandServices } from './types.js';

/**
 * An expiry date as given on the command line: a real calendar date
 * (YYYY-MM-DD) after today. The key stops working at 00:00 UTC that day.
 * Returns the instant, or the reason it is refused.
 */
export function parseExpiry(value: string, now = new Date()): { at: Date } | { problem: string } {
  const at = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== value) {
    return { problem: `"${value}" is not a date; give one as YYYY-MM-DD, e.g. 2027-12-31` };
  }
  if (at <= now) {
    return { problem: `${value} is not in the future: a key expiring then would never work` };
  }
  return { at };
}

export const createKeyInput = z.object({
  label: z.string(),
  scopes: z.array(z.string()),
  expires: z.string().nullable().default(null),
});

export interface CreatedKeyOutput {
  id: string;
  key: string;
  prefix: string;
  label: string;
  scopes: string[];
  expiresAt: string | null;
}

export async function createKey(
  services: CommandServices,
  input: z.infer<typeof createKeyInput>,
): Promise<CreatedKeyOutput> {
  let expiresAt: Date | null = null;
  if (input.expires !== null) {
    const expiry = parseExpiry(input.expires);
    if ('problem' in expiry) throw new CommandError('INVALID_INPUT', `expiry date: ${expiry.problem}`);
    expiresAt = expiry.at;
  }
  const outcome = await writeAsCommand(services, (session) =>
    createKeyRecord(session, { label: input.label, scopes: input.scopes, expiresAt }),
  );
  if (!outcome.ok) {
    const scope = outcome.userErrors.find((e) => e.field?.[0] === 'scopes');
    const unknown = scope ? input.scopes[Number(scope.field?.[1])] : undefined;
    throw new CommandError(
      'INVALID_INPUT',
      unknown !== undefined
        ? `unknown scope "${unknown}": use read, write:<organisation-slug>, write:* or admin`
        : outcome.userErrors.map((e) => e.message).join('; '),
    );
  }
  const created = outcome.value;
  services.logger.info({ prefix: created.prefix, scopes: created.scopes }, 'API key created by a command');
  return { ...created, expiresAt: created.expiresAt?.toISOString() ?? null };
}

export const revokeKeyInput = z.object({ key: z.string().min(1) });

export async function revokeKey(
  services: CommandServices,
  input: z.infer<typeof revokeKeyInput>,
): Promise<{ id: string; prefix: string; label: string; alreadyRevoked: boolean }> {
  const shaped =
    /^pfk_[0-9a-f]{12}$/.test(input.key) ||
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.key);
  const outcome = shaped ? await writeAsCommand(services, (session) => revokeKeyRecord(session, input.key)) : null;
  if (outcome && !outcome.ok && outcome.userErrors[0]?.code !== 'NOT_FOUND') {
    throw refused('the key was not revoked', outcome.userErrors);
  }
  const key = outcome?.ok ? outcome.value : null;
  if (!key) {
    throw new CommandError(
      'NOT_FOUND',
      `no key has the id or prefix "${input.key}" (a prefix looks like pfk_1a2b3c4d5e6f; see npm run apikey:list)`,
    );
  }
  services.logger.info({ prefix: key.prefix }, 'API key revoked by a command');
  return { id: key.id, prefix: key.prefix, label: key.label, alreadyRevoked: key.alreadyRevoked };
}

export const listKeysInput = z.object({}).default({});

export interface ListedKey {
  id: string;
  prefix: string;
  state: 'active' | 'revoked' | 'expired';
  label: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export async function listKeys(services: CommandServices): Promise<{ keys: ListedKey[] }> {
  const now = new Date();
  const rows = await services.db.prisma.apiKey.findMany({ orderBy: { createdAt: 'asc' } });
  return {
    keys: rows.map((k) => ({
      id: k.id,
      prefix: k.prefix,
      state: k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt <= now ? 'expired' : 'active',
      label: k.label,
      scopes: k.scopes,
      createdAt: k.createdAt.toISOString(),
      expiresAt: k.expiresAt?.toISOString() ?? null,
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    })),
  };
}
