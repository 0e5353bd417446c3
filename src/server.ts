// Start-up: configuration → database → GraphQL → HTTP, and an orderly stop.
import { createApp, createHttpServer } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { prepareDatabase } from './db/open.js';
import { createLogger } from './logger.js';

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
  const app = createApp({
    db,
    logger,
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
      await db.close();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
