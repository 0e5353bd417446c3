// Applying pending migrations, to the embedded database or a PostgreSQL
// server, under Prisma's advisory lock (src/db/migrate.ts). A running server
// has applied them at start, so through it this finds none.
import { applyMigrations } from '../db/migrate.js';
import type { CommandServices } from './types.js';

export async function migrate(services: CommandServices): Promise<{ applied: string[] }> {
  const applied = await applyMigrations(services.db.sql, {
    onWait: () => services.logger.warn('another migration run holds the lock; waiting for it'),
  });
  return { applied };
}
