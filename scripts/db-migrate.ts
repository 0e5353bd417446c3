// Applies pending migrations. On a PostgreSQL server (DATABASE_URL) this is
// Prisma's own `migrate deploy`; the embedded database is migrated in-process
// (the server also does this at start).
import { spawnSync } from 'node:child_process';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { databaseTarget } from './cli.js';

const config = loadConfig();
if (config.database.kind === 'postgres') {
  const run = spawnSync('npx', ['prisma', 'migrate', 'deploy'], { stdio: 'inherit', env: process.env });
  process.exit(run.status ?? 1);
}
const db = await openDatabase(databaseTarget(config));
try {
  const applied = await applyMigrations(db.sql);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
} finally {
  await db.close();
}
