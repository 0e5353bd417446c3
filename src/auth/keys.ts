// API keys: `pfk_<prefix>_<secret>`. The prefix finds the key; the whole key's
// SHA-256 proves it. The secret has 256 bits of entropy, so a fast hash is
// enough (no password stretching needed), and the clear key is never stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCOPE_PATTERN = /^(read|admin|write:\*|write:[a-z0-9]+(?:-[a-z0-9]+)*)$/;

export interface NewKey {
  key: string;
  prefix: string;
  secretHash: string;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateKey(): NewKey {
  const prefix = `pfk_${randomBytes(6).toString('hex')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, secretHash: hashKey(key) };
}

/** The prefix of a presented key, or null when it is not shaped like one of ours. */
export function prefixOf(presented: string): string | null {
  const match = /^(pfk_[0-9a-f]{12})_[A-Za-z0-9_-]{43}$/.exec(presented);
  return match ? match[1]! : null;
}

export function keyMatches(presented: string, secretHash: string): boolean {
  const a = Buffer.from(hashKey(presented), 'hex');
  const b = Buffer.from(secretHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Can these scopes write this organisation? */
export function canWrite(scopes: readonly string[], organisationSlug: string | null): boolean {
  if (scopes.includes('admin') || scopes.includes('write:*')) return true;
  return organisationSlug !== null && scopes.includes(`write:${organisationSlug}`);
}

export function canRead(scopes: readonly string[]): boolean {
  return scopes.length > 0;
}
