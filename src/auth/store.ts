// Creating and revoking API keys. The clear key is returned once, to be shown
// once; the database keeps only its prefix and hash.
import type { PrismaClient } from '../db/client.js';
import { generateKey, SCOPE_PATTERN } from './keys.js';

export interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
  label: string;
  scopes: string[];
  expiresAt: Date | null;
}

export async function createApiKey(
  prisma: PrismaClient,
  options: { label: string; scopes: string[]; expiresAt?: Date | null },
): Promise<CreatedKey> {
  const label = options.label.trim();
  if (!label || label.length > 200) throw new Error('a key needs a label of 1 to 200 characters');
  if (options.scopes.length === 0) throw new Error('a key needs at least one scope');
  const bad = options.scopes.filter((s) => !SCOPE_PATTERN.test(s));
  if (bad.length) {
    throw new Error(
      `unknown scope ${bad.map((s) => `"${s}"`).join(', ')}: use read, write:<organisation-slug>, write:* or admin`,
    );
  }
  const { key, prefix, secretHash } = generateKey();
  const row = await prisma.apiKey.create({
    data: { label, prefix, secretHash, scopes: [...new Set(options.scopes)], expiresAt: options.expiresAt ?? null },
  });
  return { id: row.id, key, prefix, label, scopes: row.scopes, expiresAt: row.expiresAt };
}

/** Revokes by id or prefix; returns the revoked key's label, or null when none matched. */
export async function revokeApiKey(prisma: PrismaClient, idOrPrefix: string, at = new Date()) {
  const where = /^pfk_[0-9a-f]{12}$/.test(idOrPrefix) ? { prefix: idOrPrefix } : { id: idOrPrefix };
  const key = await prisma.apiKey.findFirst({ where: where as never });
  if (!key) return null;
  await prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: key.revokedAt ?? at } });
  return key;
}
