// Applies pending migrations to the configured database, the embedded one or
// a PostgreSQL server (DATABASE_URL), with the project's own migrator: it
// writes Prisma's migration history and takes Prisma's advisory lock, so
// several deploy jobs may run it at once. (The server also migrates the
// embedded database at start.)
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { databaseTarget } from './cli.js';

const config = loadConfig();
const db = await openDatabase(databaseTarget(config));
try {
  const applied = await applyMigrations(db.sql, {
    onWait: () => console.log('another migration run holds the lock; waiting for it'),
  });
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
} finally {
  await db.close();
}
