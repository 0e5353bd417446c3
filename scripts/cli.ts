// Shared by the command-line scripts: which database the configuration names.
import { userInfo } from 'node:os';
import { systemCaller } from '../src/auth/actor.js';
import { loadConfig, type Config } from '../src/config.js';
import { Writer } from '../src/domain/writer.js';
import { openDatabase, type Database, type DatabaseTarget } from '../src/db/client.js';
import { applyMigrations, migrationState } from '../src/db/migrate.js';
import { startNewSharedGeneration } from '../src/http/cache.js';
import { createLogger } from '../src/logger.js';
import { connectRedis, waitForRedis } from '../src/redis/connection.js';

export function databaseTarget(config: Config): DatabaseTarget {
  return config.database.kind === 'pglite'
    ? { kind: 'pglite', dataDir: config.database.dataDir }
    : { kind: 'postgres', url: config.database.url, poolSize: 2 };
}

/** Who a command writes as: the command line, audited under the machine user's name. */
export const commandCaller = () => systemCaller(`command line (${userInfo().username})`);

/**
 * The writer for a command: the same rules, audit and notifications as the
 * server's (through Redis when instances share it), and the shared cache's
 * new generation after the write.
 */
export function commandWriter(db: Database): Writer {
  return new Writer({ prisma: db.prisma, afterCommit: announceWrite });
}

/**
 * Opens the configured database for a command: the embedded one is brought up
 * to date (as the server does at start); a server must already be migrated.
 */
export async function openForCommand(): Promise<Database> {
  const db = await openDatabase(databaseTarget(loadConfig()));
  if (db.kind === 'pglite') {
    await applyMigrations(db.sql);
    return db;
  }
  const state = await migrationState(db.sql);
  if (state.pending.length > 0) {
    await db.close();
    throw new Error('the database schema is not current: run `npm run db:migrate` first');
  }
  return db;
}

/**
 * After a command has written: when instances share Redis, their response cache
 * starts a new generation, so they answer from the database. With replicas it
 * does so again once the replicas must have replayed the change. (Without Redis
 * each server's in-process cache forgets the old answer within its TTL.) The
 * write has committed whatever happens here, so a failure is only reported.
 */
export async function announceWrite(): Promise<void> {
  const config = loadConfig();
  if (!config.redis) return;
  const redis = connectRedis(config.redis.url, {
    keyPrefix: config.redis.keyPrefix,
    logger: createLogger({ log: { level: 'silent', format: 'json' } }),
  });
  const stale = `running servers may answer from their cache for up to ${config.responseCache.ttlSeconds} s`;
  try {
    if (!(await waitForRedis(redis, 3_000))) {
      console.warn(`Redis is ${redis.describe()}: ${stale}`);
      return;
    }
    await startNewSharedGeneration(redis);
    if (config.replicaUrls.length > 0) {
      const wait = config.replicaMaxLagMs + 1_000;
      console.error(`waiting ${wait / 1000} s for the replicas before refreshing the cache once more`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      await startNewSharedGeneration(redis);
    }
  } catch (error) {
    console.warn(`could not refresh the shared cache (${(error as Error).message}): ${stale}`);
  } finally {
    await redis.close();
  }
}
