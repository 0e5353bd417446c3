// Start-up: configuration → database → GraphQL → HTTP, and an orderly stop.
import { createApp, createHttpServer } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { prepareDatabase } from './db/open.js';
import { describeUrl, openReadReplicas } from './db/replicas.js';
import { createLogger } from './logger.js';
import { connectRedis, waitForRedis } from './redis/connection.js';

async function main() {
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
  const where =
    config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dataDir}` : 'PostgreSQL server';
  logger.info(`opening the database: ${where}`);
  const db = await prepareDatabase(config, logger);
  const replicas =
    config.replicaUrls.length > 0
      ? await openReadReplicas(db, config.replicaUrls, { logger, maxLagMs: config.replicaMaxLagMs })
      : undefined;
  if (replicas) logger.info(`reading from replicas: ${config.replicaUrls.map(describeUrl).join(', ')}`);
  const redis = config.redis
    ? connectRedis(config.redis.url, { keyPrefix: config.redis.keyPrefix, logger })
    : undefined;
  if (redis) {
    // Starting without Redis is allowed: the instance serves reads and catches up when it comes.
    const reached = await waitForRedis(redis, 3_000);
    logger.info(reached ? 'sharing state through Redis' : 'Redis is not reachable yet; writes wait for it');
  }
  const app = createApp({
    db,
    logger,
    redis,
    replicas,
    graphiql: config.graphiql,
    production: config.env === 'production',
    requireAuthForReads: config.requireAuthForReads,
    settings: config,
  });
  const server = createHttpServer(app, db, { requireAuthForReads: config.requireAuthForReads });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info(`serving GraphQL at http://localhost:${port}/graphql`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing requests in flight, then stopping`);
    server.close(async () => {
      await Promise.allSettled([redis?.close(), replicas?.close()]);
      await db.close();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    server.closeEventStreams();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
