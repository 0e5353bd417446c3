// Applies prisma/migrations in order and records them in Prisma's own
// `_prisma_migrations` table (same checksums), so `prisma migrate status` and
// `prisma migrate deploy` agree with what ran here. The one migrator for both
// databases: at start for the embedded one, by `npm run db:migrate` for a
// server (Prisma 7's `migrate deploy` needs a native engine this project
// cannot download). Runs hold Prisma's own advisory lock, so two of them, or
// one of them and a `prisma migrate deploy`, never interleave.
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

/** The advisory lock key Prisma's schema engine takes around migrations on PostgreSQL. */
export const PRISMA_MIGRATION_LOCK = 72707369;

export interface ApplyOptions {
  /** Called once when another run holds the lock, before waiting for it. */
  onWait?: () => void;
}

/**
 * Applies every pending migration, each with its history row in one
 * transaction, on one connection that holds Prisma's advisory lock from before
 * the history is read until the last migration is committed: a second run
 * waits, then finds nothing pending.
 */
export async function applyMigrations(sql: SqlRunner, options: ApplyOptions = {}): Promise<string[]> {
  const migrations = await readMigrations();
  return sql.session(async (session) => {
    const [{ locked } = { locked: false }] = await session.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS locked',
      [PRISMA_MIGRATION_LOCK],
    );
    if (!locked) {
      options.onWait?.();
      await session.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATION_LOCK]);
    }
    const unlock = () => session.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATION_LOCK]);
    let pending: string[];
    try {
      await session.exec(HISTORY_TABLE);
      ({ pending } = await migrationState(session, migrations));
      for (const migration of migrations.filter((m) => pending.includes(m.name))) await applyOne(session, migration);
    } catch (error) {
      // The first error is the one to report; a connection that cannot unlock is closed anyway.
      await unlock().catch(() => undefined);
      throw error;
    }
    await unlock();
    return pending;
  });
}

async function applyOne(session: SqlRunner, migration: Migration): Promise<void> {
  const id = randomUUID();
  const name = migration.name.replaceAll("'", "''");
  // The history row goes in the same transaction: a failed script leaves no trace.
  const script = `BEGIN;\n${migration.script}\n;INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('${id}', '${migration.checksum}', '${name}', now(), now(), 1);\nCOMMIT;`;
  try {
    await session.exec(script);
  } catch (error) {
    // On the same connection as the failed script, which left its transaction open.
    await session.exec('ROLLBACK').catch(() => undefined);
    throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
