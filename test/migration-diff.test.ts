// `npm run db:diff`: Prisma's schema engine (WebAssembly) compares what the
// migrations build with prisma/schema.prisma, offline.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { diffMigrationsToSchema, SCHEMA_FILE } from '../scripts/migration-diff.js';

it('finds no difference between the migrations and the current schema', { timeout: 120_000 }, async () => {
  expect(await diffMigrationsToSchema()).toEqual({ empty: true, sql: '-- This is an empty migration.\n' });
});

it('writes the SQL for a change to the schema', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'privacy-facts-diff-'));
  try {
    const schema = (await readFile(SCHEMA_FILE, 'utf8')).replace(
      /^model Organisation \{\n/m,
      '$&  motto String?\n  @@index([name])\n',
    );
    const schemaFile = path.join(dir, 'schema.prisma');
    await writeFile(schemaFile, schema);
    const diff = await diffMigrationsToSchema({ schemaFile });
    expect(diff.empty).toBe(false);
    expect(diff.sql).toContain('ALTER TABLE "Organisation" ADD COLUMN     "motto" TEXT;');
    expect(diff.sql).toContain('CREATE INDEX "Organisation_name_idx" ON "Organisation"("name");');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
