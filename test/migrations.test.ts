// The embedded database is migrated in-process into Prisma's own history table.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations, migrationState, MIGRATIONS_DIR, readMigrations } from '../src/db/migrate.js';

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
