// Shared by the command-line scripts: where a command runs, and how it ends.
//
// On the embedded database the data directory has one owner (src/db/lock.ts):
//   - a running server holds it: the command runs in the server, sent over its
//     control socket (src/control/), so the server sees the change at once;
//   - nobody holds it: the script takes the lock, opens PGlite, runs the same
//     command function (src/commands/) and gives the directory back;
//   - another command holds it (or a server is starting): the script waits.
// On a PostgreSQL server (DATABASE_URL) there is no lock: the script connects itself.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { userInfo } from 'node:os';
import pino from 'pino';
import { ConfigError, loadConfig, nodeVersionProblem, type Config } from '../src/config.js';
import {
  CommandError,
  runCommand as runCommandHere,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type CommandServices,
} from '../src/commands/index.js';
import { callServer, ControlUnreachableError } from '../src/control/client.js';
import { describeConnectionProblem } from '../src/db/availability.js';
import { openDatabase, type Database, type DatabaseTarget } from '../src/db/client.js';
import { DataDirectoryLockedError, describeHolder, lockDataDirectory, type Holder } from '../src/db/lock.js';
import { applyMigrations, migrationState } from '../src/db/migrate.js';
import { Writer } from '../src/domain/writer.js';
import { startNewSharedGeneration } from '../src/http/answers.js';
import { createLogger } from '../src/logger.js';
import { connectRedis, waitForRedis } from '../src/redis/connection.js';

/** A mistake in how the script was called: its usage is printed and it exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/** A problem the person can fix (a locked directory, an unreachable server): printed, exit 1. */
export class CliError extends Error {}

/**
 * Runs a script's body and ends it as an operator expects: usage mistakes exit
 * 2 with the usage, refused commands and known problems exit 1 with their
 * message, and nothing prints a stack trace.
 */
export async function cli(body: () => Promise<void>): Promise<void> {
  try {
    const problem = nodeVersionProblem();
    if (problem) throw new CliError(problem);
    await body();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${error.usage}`);
      process.exitCode = 2;
    } else if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 2;
    } else if (error instanceof CommandError) {
      console.error(error.message);
      for (const line of error.details) console.error(line);
      process.exitCode = 1;
    } else {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    }
  }
}

/** node:util's parseArgs, strict, with its complaints (unknown flag, missing value) as usage errors. */
export function parseArguments<T extends ParseArgsConfig['options']>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!, usage);
  }
}

export function databaseTarget(config: Config): DatabaseTarget {
  return config.database.kind === 'pglite'
    ? { kind: 'pglite', dataDir: config.database.dataDir }
    : { kind: 'postgres', url: config.database.url, poolSize: 2 };
}

/** A command's logs: warnings and worse, to stderr, so stdout stays the command's answer. */
const quietLogger = () => pino({ level: 'warn' }, pino.destination(2));

/** How long a command waits for a data directory another command holds, or a starting server. */
const WAIT_MS = 120_000;

export interface RunOptions {
  progress?: (done: number, total: number) => void;
}

/** Runs a command wherever the configuration says (see the top of this file) and returns its output. */
export async function runCommand<N extends CommandName>(
  name: N,
  input: CommandInput<N>,
  options: RunOptions = {},
): Promise<CommandOutput<N>> {
  const config = loadConfig();
  if (config.database.kind === 'postgres') {
    const db = await openServerDatabase(config, config.database.url, name);
    try {
      return await runCommandHere(services(db, options), name, input);
    } finally {
      await db.close();
    }
  }
  const dataDir = config.database.dataDir;
  const deadline = Date.now() + WAIT_MS;
  let waitingFor: string | null = null;
  for (;;) {
    let holder: Holder | null;
    try {
      const lock = await lockDataDirectory(dataDir, { role: 'command', command: name }, (error) => {
        console.error(`lost the lock on the data directory ${dataDir} (${error.message}); stopping`);
        process.exit(1);
      });
      try {
        const db = await openDatabase({ kind: 'pglite', dataDir: lock.dataDir });
        try {
          // The embedded database is brought up to date, as the server does at start
          // (db:migrate does that itself, and reports what it applied).
          if (name !== 'db:migrate') await applyMigrations(db.sql);
          return await runCommandHere(services(db, options), name, input);
        } finally {
          await db.close();
        }
      } finally {
        await lock.release();
      }
    } catch (error) {
      if (!(error instanceof DataDirectoryLockedError)) throw error;
      holder = error.holder;
      if (holder?.role === 'server' && holder.socket) {
        try {
          const result = await callServer(holder.socket, name, input, options.progress);
          console.error(`(ran in the server that holds ${error.dataDir}: pid ${holder.pid}, port ${holder.port})`);
          return result as CommandOutput<N>;
        } catch (callError) {
          // A server that is stopping: it gives the directory back in a moment.
          if (!(callError instanceof ControlUnreachableError)) throw callError;
        }
      }
      if (Date.now() > deadline) {
        throw new CliError(
          `the data directory ${error.dataDir} (DATA_DIR) has been in use by ${describeHolder(holder)} for too long; try again when it has finished`,
        );
      }
      const who = describeHolder(holder);
      if (waitingFor !== who) console.error(`waiting: the data directory ${error.dataDir} is in use by ${who}`);
      waitingFor = who;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

function services(db: Database, options: RunOptions): CommandServices {
  return {
    db,
    logger: quietLogger(),
    writer: new Writer({ prisma: db.prisma, afterCommit: announceWrite }),
    progress: options.progress,
    user: userInfo().username,
  };
}

/** Connects to the PostgreSQL server, which must be reachable and migrated already. */
async function openServerDatabase(config: Config, url: string, command: CommandName): Promise<Database> {
  const db = await openDatabase(databaseTarget(config));
  try {
    const state = await migrationState(db.sql);
    if (state.pending.length > 0 && command !== 'db:migrate') {
      throw new CliError('the database schema is not current: run `npm run db:migrate` first');
    }
    return db;
  } catch (error) {
    await db.close();
    const problem = describeConnectionProblem(error, url);
    throw problem ? new CliError(problem) : error;
  }
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
