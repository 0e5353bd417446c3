// Start-up: configuration → the data directory's lock → the port → database →
// GraphQL → HTTP (and, on the embedded database, the control socket through
// which the command-line scripts run their commands in this process), and an
// orderly stop. A start-up problem is one message naming the setting, what is
// wrong and what to do, and a non-zero exit; never a stack trace.
import { createServer as createNetServer } from 'node:net';
import { createApp, createHttpServer } from './app.js';
import { ConfigError, loadConfig, nodeVersionProblem, type Config } from './config.js';
import { describeConnectionProblem } from './db/availability.js';
import type { Database } from './db/client.js';
import {
  DataDirectoryLockedError,
  describeHolder,
  lockDataDirectory,
  readHolder,
  type DataDirectoryLock,
} from './db/lock.js';
import { DatabaseNotReadyError, prepareDatabase } from './db/open.js';
import { describeUrl, openReadReplicas } from './db/replicas.js';
import { prepareSocketPath } from './control/channel.js';
import { startControlServer, type ControlServer } from './control/server.js';
import { createEventBus } from './events/bus.js';
import { createLogger, type Logger } from './logger.js';
import { connectRedis, waitForRedis } from './redis/connection.js';
import { keyFileIn } from './webhooks/secrets.js';

/** A problem the operator can fix; printed as it is, without a stack. */
class StartupError extends Error {}

/** While a command holds the data directory (a manifest load), the server waits this long for it. */
const WAIT_FOR_COMMAND_MS = 60_000;

async function lockForServer(config: Config, dataDir: string, logger: Logger): Promise<DataDirectoryLock> {
  const deadline = Date.now() + WAIT_FOR_COMMAND_MS;
  let told = false;
  for (;;) {
    try {
      return await lockDataDirectory(dataDir, { role: 'server', port: config.port }, (error) => {
        // Someone removed the lock: another process may open the directory now, so stop writing at once.
        logger.fatal(`lost the lock on the data directory ${dataDir} (${error.message}); stopping`);
        process.exit(1);
      });
    } catch (error) {
      if (!(error instanceof DataDirectoryLockedError)) throw error;
      const holder = error.holder ?? (await readHolder(dataDir));
      if (holder?.role === 'command' && Date.now() < deadline) {
        if (!told) logger.info(`waiting for ${describeHolder(holder)} to finish with ${error.dataDir}`);
        told = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      throw new StartupError(
        `Cannot start: the data directory ${error.dataDir} (DATA_DIR) is in use by ${describeHolder(holder)}.\n` +
          'The embedded database can have only one process. Stop that one first, run the command-line scripts ' +
          'beside it (they go through it), or set DATA_DIR to another directory for a second server.',
      );
    }
  }
}

/** Fails before the database is opened when the port cannot be had. */
async function checkPort(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(portProblem(error, host, port) ?? error));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

function portProblem(error: NodeJS.ErrnoException, host: string, port: number): StartupError | null {
  if (error.code === 'EADDRINUSE') {
    return new StartupError(
      `Cannot start: port ${port} (PORT) on ${host} (HOST) is already in use, perhaps by another server of this API.\n` +
        `Stop what listens there, or set PORT to a free port (PORT=4001 npm start).`,
    );
  }
  if (error.code === 'EACCES') {
    return new StartupError(
      `Cannot start: this user may not listen on port ${port} (PORT). Use a port above 1023, e.g. PORT=4000.`,
    );
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new StartupError(
      `Cannot start: ${host} (HOST) is not an address of this machine. Set HOST to 0.0.0.0, 127.0.0.1 or one of its addresses.`,
    );
  }
  return null;
}

async function main() {
  const nodeProblem = nodeVersionProblem();
  if (nodeProblem) throw new StartupError(nodeProblem);
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  // Everything opened so far, closed in reverse when start-up fails or the server stops.
  const cleanup: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of cleanup.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const lock =
      config.database.kind === 'pglite' ? await lockForServer(config, config.database.dataDir, logger) : undefined;
    if (lock) cleanup.push(() => lock.release());
    await checkPort(config.host, config.port);

    const where =
      config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dataDir}` : 'PostgreSQL server';
    logger.info(`opening the database: ${where}`);
    let db: Database;
    try {
      db = await prepareDatabase(config, logger);
    } catch (error) {
      const problem =
        config.database.kind === 'postgres' ? describeConnectionProblem(error, config.database.url) : null;
      if (problem) throw new StartupError(`Cannot start: ${problem}`);
      if (error instanceof DatabaseNotReadyError) throw new StartupError(`Cannot start: ${error.message}`);
      throw error;
    }
    cleanup.push(() => db.close());
    const replicas =
      config.replicaUrls.length > 0
        ? await openReadReplicas(db, config.replicaUrls, { logger, maxLagMs: config.replicaMaxLagMs })
        : undefined;
    if (replicas) {
      cleanup.push(() => replicas.close());
      logger.info(`reading from replicas: ${config.replicaUrls.map(describeUrl).join(', ')}`);
    }
    const redis = config.redis
      ? connectRedis(config.redis.url, { keyPrefix: config.redis.keyPrefix, logger })
      : undefined;
    if (redis) {
      cleanup.push(() => redis.close());
      // Starting without Redis is allowed: the instance serves reads and catches up when it comes.
      const reached = await waitForRedis(redis, 3_000);
      logger.info(reached ? 'sharing state through Redis' : 'Redis is not reachable yet; writes wait for it');
    }
    const events = createEventBus({ redis, logger });
    // Webhook secrets are sealed with WEBHOOK_SECRETS_KEY, or on the embedded database a key file beside the data.
    const secretsKey = config.webhooks.secretsKey ?? (lock ? await keyFileIn(lock.dataDir) : null);
    // Without Redis, a server on PostgreSQL follows the change log, so it also announces
    // what other processes (the command line, other instances) write.
    const { tail, pollMs } = config.changeFeed;
    const tailChangeLog =
      tail === 'on' || (tail === 'auto' && config.database.kind === 'postgres' && !config.redis)
        ? { pollMs }
        : undefined;
    const app = createApp({
      db,
      logger,
      redis,
      replicas,
      events,
      graphiql: config.graphiql,
      production: config.env === 'production',
      requireAuthForReads: config.requireAuthForReads,
      settings: { ...config, webhooks: { ...config.webhooks, secretsKey } },
      tailChangeLog,
    });
    if (app.changeTail) {
      await app.changeTail.start();
      cleanup.push(async () => app.changeTail!.stop());
    }
    if (config.webhooks.worker) {
      if (app.webhooks.unavailable) logger.info(`webhooks are off: ${app.webhooks.unavailable}`);
      app.webhooks.worker.start();
      cleanup.push(() => app.webhooks.worker.stop());
    }

    // The command-line scripts run their commands here, on this process's connection.
    let control: ControlServer | undefined;
    if (lock) {
      control = await startControlServer(
        await prepareSocketPath(lock.dataDir),
        { db, logger, writer: app.writer },
        logger,
      );
      cleanup.push(() => control!.close());
    }

    const server = createHttpServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(portProblem(error, config.host, config.port) ?? error),
      );
      server.listen(config.port, config.host, () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    await lock?.update({ port, socket: control?.socketPath });
    logger.info(`serving GraphQL at http://localhost:${port}/graphql`);

    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info(`${signal}: finishing requests in flight, then stopping`);
      server.close(async () => {
        await closeAll();
        logger.info('stopped');
        process.exit(0);
      });
      server.closeIdleConnections();
      server.closeEventStreams();
      setTimeout(() => {
        // Past the deadline: still close the database and give up the data directory.
        void closeAll().finally(() => process.exit(1));
      }, 10_000).unref();
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  } catch (error) {
    await closeAll();
    throw error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) console.error(error.message);
  else console.error(`Cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
