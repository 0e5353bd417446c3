// Applying pending migrations to the embedded database. (A PostgreSQL server is
// migrated by Prisma's own `migrate deploy`, see scripts/db-migrate.ts.) A
// running server has applied them at start, so through it this finds none.
import { applyMigrations } from '../db/migrate.js';
import type { CommandServices } from './types.js';

export async function migrate(services: CommandServices): Promise<{ applied: string[] }> {
  return { applied: await applyMigrations(services.db.sql) };
}
