// API keys for tests, made the way the CLI makes them.
import { createApiKey } from '../../src/auth/store.js';
import type { Database } from '../../src/db/client.js';

export async function bearer(db: Database, scopes: string[], options: { label?: string; expiresAt?: Date } = {}) {
  const created = await createApiKey(db.prisma, { label: options.label ?? `test ${scopes.join(' ')}`, scopes });
  // A key may not be created already expired; a test that needs one ages it afterwards.
  if (options.expiresAt)
    await db.prisma.apiKey.update({ where: { id: created.id }, data: { expiresAt: options.expiresAt } });
  return { authorization: `Bearer ${created.key}`, ...created };
}
