// Bringing the configured database to a usable state: open it, make sure its
// schema is current (migrating the embedded one, refusing a stale server), and
// seed it when it is empty.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { openDatabase, type Database } from './client.js';
import { applyMigrations, migrationState } from './migrate.js';
import { seedIfEmpty } from './seed.js';

export class DatabaseNotReadyError extends Error {}

export async function prepareDatabase(config: Config, logger: Logger): Promise<Database> {
  const db = await openDatabase(
    config.database.kind === 'pglite'
      ? { kind: 'pglite', dataDir: config.database.dataDir }
      : {
          kind: 'postgres',
          url: config.database.url,
          onIdleError: (error) => logger.warn({ err: error }, 'a database connection was closed by the server'),
        },
  );
  try {
    if (db.kind === 'pglite') {
      const applied = await applyMigrations(db.sql);
      if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');
    } else {
      const state = await migrationState(db.sql);
      if (state.pending.length > 0 || state.modified.length > 0) {
        throw new DatabaseNotReadyError(
          `the database schema is not current (pending: ${state.pending.join(', ') || 'none'}; changed since applied: ${state.modified.join(', ') || 'none'}). Run \`npm run db:migrate\`.`,
        );
      }
    }
    if (config.seedOnStart && (await seedIfEmpty(db.prisma))) logger.info('loaded the seed manifests');
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
