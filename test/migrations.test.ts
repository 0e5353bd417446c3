// The project's migrator writes Prisma's own history table, on the embedded
// database and on a PostgreSQL server, where concurrent runs wait for each
// other on Prisma's advisory lock.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import {
  applyMigrations,
  migrationState,
  MIGRATIONS_DIR,
  PRISMA_MIGRATION_LOCK,
  readMigrations,
} from '../src/db/migrate.js';
import { postgresBinaries, startCluster } from '../scripts/pg-cluster.js';
import { adminUrl, withDatabase } from './support/postgres.js';
import { eventually } from './support/http.js';

it('applies every migration once, with Prisma’s checksums, and nothing on a second run', async () => {
  const db = await openDatabase({ kind: 'pglite', instance: new PGlite() });
  try {
    const all = await readMigrations();
    expect(await applyMigrations(db.sql)).toEqual(all.map((m) => m.name));
    expect(await applyMigrations(db.sql)).toEqual([]);
    const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const first = all[0]!;
    const script = await readFile(path.join(MIGRATIONS_DIR, first.name, 'migration.sql'));
    expect(rows[0]).toMatchObject({
      migration_name: first.name,
      checksum: createHash('sha256').update(script).digest('hex'),
      finished_at: expect.any(Date),
    });
    expect(await migrationState(db.sql)).toEqual({ applied: all.map((m) => m.name), pending: [], modified: [] });
    // The schema is usable through Prisma.
    expect(await db.prisma.organisation.count()).toBe(0);
  } finally {
    await db.close();
  }
});

// The suite's server (TEST_DATABASE_URL, as .ci/with-postgres sets it), else a
// throwaway cluster when the PostgreSQL binaries are installed.
const serverUrl = inject('postgresUrl');
const noServer = !serverUrl && !postgresBinaries();

it('lets two concurrent runs on an empty PostgreSQL database both succeed, applying each migration once', async ({
  skip,
}) => {
  skip(noServer, 'no PostgreSQL server: set TEST_DATABASE_URL (.ci/with-postgres npm test) or install PostgreSQL');
  const cluster = serverUrl ? null : await startCluster();
  const admin = await openDatabase({ kind: 'postgres', url: adminUrl(serverUrl || cluster!.url), poolSize: 1 });
  const name = `privacy_facts_migrate_${randomBytes(6).toString('hex')}`;
  await admin.sql.exec(`CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl || cluster!.url, name);
  // Two pools, as two deploy jobs would have, and a third connection standing
  // in for a run already under way (ours or Prisma's `migrate deploy`).
  const open: Database[] = [];
  try {
    const [first, second, holder] = await Promise.all(
      [0, 1, 2].map(async () => {
        const db = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
        open.push(db);
        return db;
      }),
    );
    const all = (await readMigrations()).map((m) => m.name);
    await holder!.sql.session(async (held) => {
      await held.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATION_LOCK]);
      let waiting = 0;
      const runs = [first!, second!].map((db) => applyMigrations(db.sql, { onWait: () => (waiting += 1) }));
      await eventually(async () => waiting === 2, 'both runs to wait for the lock');
      // While the lock is held nothing has been written, not even the history table.
      const [{ history } = { history: 'x' }] = await held.query<{ history: string | null }>(
        `SELECT to_regclass('public._prisma_migrations')::text AS history`,
      );
      expect(history).toBeNull();
      await held.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATION_LOCK]);
      // Whichever gets the lock first applies everything; the other finds nothing pending.
      const applied = await Promise.all(runs);
      expect(applied.toSorted((a, b) => a.length - b.length)).toEqual([[], all]);
    });
    const rows = await first!.sql.query<{ migration_name: string; runs: number }>(
      'SELECT migration_name, count(*)::int AS runs FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name',
    );
    expect(rows).toEqual(all.map((migration_name) => ({ migration_name, runs: 1 })));
    expect(await migrationState(second!.sql)).toEqual({ applied: all, pending: [], modified: [] });
    expect(await first!.prisma.organisation.count()).toBe(0);
  } finally {
    await Promise.all(open.map((db) => db.close()));
    await admin.sql.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
    cluster?.destroy();
  }
}, 120_000);
