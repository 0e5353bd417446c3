// Applies prisma/migrations in order and records them in Prisma's own
// `_prisma_migrations` table (same checksums), so `prisma migrate status` and
// `prisma migrate deploy` agree with what ran here. Used at start for the
// embedded database, where the Prisma CLI cannot share PGlite's directory.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlRunner } from './client.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export interface Migration {
  name: string;
  script: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const script = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return {
        name,
        script,
        checksum: createHash('sha256').update(script).digest('hex'),
      };
    }),
  );
}

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationState {
  applied: string[];
  pending: string[];
  /** Applied migrations whose file has changed since: a deployment mistake. */
  modified: string[];
}

export async function migrationState(sql: SqlRunner, migrations?: Migration[]): Promise<MigrationState> {
  const all = migrations ?? (await readMigrations());
  const [{ exists } = { exists: false }] = await sql.query<{ exists: boolean }>(
    `SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS exists`,
  );
  const rows = exists
    ? await sql.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      )
    : [];
  const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
  return {
    applied: all.filter((m) => done.has(m.name)).map((m) => m.name),
    pending: all.filter((m) => !done.has(m.name)).map((m) => m.name),
    modified: all.filter((m) => done.has(m.name) && done.get(m.name) !== m.checksum).map((m) => m.name),
  };
}

/** Applies every pending migration, each with its history row in one transaction. */
export async function applyMigrations(sql: SqlRunner): Promise<string[]> {
  const migrations = await readMigrations();
  await sql.exec(HISTORY_TABLE);
  const { pending } = await migrationState(sql, migrations);
  for (const name of pending) {
    const migration = migrations.find((m) => m.name === name)!;
    const id = randomUUID();
    // The history row goes in the same transaction: a failed script leaves no trace.
    const script = `BEGIN;\n${migration.script}\n;INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('${id}', '${migration.checksum}', '${name.replaceAll("'", "''")}', now(), now(), 1);\nCOMMIT;`;
    try {
      await sql.exec(script);
    } catch (error) {
      await sql.exec('ROLLBACK').catch(() => undefined);
      throw new Error(`migration ${name} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return pending;
}
