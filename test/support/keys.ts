// API keys for tests, made the way the CLI makes them.
import { createApiKey } from '../../src/auth/store.js';
import type { Database } from '../../src/db/client.js';

export async function bearer(db: Database, scopes: string[], options: { label?: string; expiresAt?: Date } = {}) {
  const created = await createApiKey(db.prisma, {
    label: options.label ?? `test ${scopes.join(' ')}`,
    scopes,
    expiresAt: options.expiresAt,
  });
  return { authorization: `Bearer ${created.key}`, ...created };
}
