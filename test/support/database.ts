// A fresh database for one test file: a clone of the migrated, seeded template.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { adminUrl, TEMPLATE_DB, withDatabase } from './postgres.js';

export async function cloneTestDatabase(): Promise<Database> {
  const serverUrl = inject('postgresUrl');
  if (serverUrl) {
    const name = `privacy_facts_test_${randomBytes(6).toString('hex')}`;
    const admin = await openDatabase({ kind: 'postgres', url: adminUrl(serverUrl), poolSize: 1, onIdleError: ignore });
    await admin.sql.exec(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
    const db = await openDatabase({
      kind: 'postgres',
      url: withDatabase(serverUrl, name),
      poolSize: 5,
      onIdleError: ignore,
    });
    return {
      ...db,
      close: async () => {
        await db.close();
        await admin.sql.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.close();
      },
    };
  }
  const tarball = await readFile(inject('pgliteTemplate'));
  const pglite = new PGlite({ loadDataDir: new Blob([tarball]) });
  return openDatabase({ kind: 'pglite', instance: pglite });
}

/** Dropping a test database closes its connections; that is expected here. */
function ignore() {}
