// Builds the template database once per run: migrated with the project's own
// migrations and seeded from manifests/. Test files clone it (see database.ts).
// PGlite by default; a PostgreSQL server when TEST_DATABASE_URL is set. Both are
// migrated by the project's migrator, as `npm run db:migrate` does.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { seedIfEmpty } from '../../src/db/seed.js';
import { adminUrl, TEMPLATE_DB, withDatabase } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const admin = await openDatabase({ kind: 'postgres', url: adminUrl(serverUrl), poolSize: 1 });
    await admin.sql.exec(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.sql.exec(`CREATE DATABASE ${TEMPLATE_DB}`);
    await admin.close();
    const db = await openDatabase({ kind: 'postgres', url: withDatabase(serverUrl, TEMPLATE_DB), poolSize: 1 });
    await applyMigrations(db.sql);
    await seedIfEmpty(db.prisma);
    await db.close();
    project.provide('postgresUrl', serverUrl);
    project.provide('pgliteTemplate', '');
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'privacy-facts-test-'));
  const pglite = new PGlite();
  const db = await openDatabase({ kind: 'pglite', instance: pglite });
  await applyMigrations(db.sql);
  await seedIfEmpty(db.prisma);
  const dump = await pglite.dumpDataDir('none');
  const file = path.join(dir, 'template.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide('pgliteTemplate', file);
  project.provide('postgresUrl', '');
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
