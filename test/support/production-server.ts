// The API as production runs it (`NODE_ENV=production`): unexpected errors
// masked, GraphiQL off, field suggestions blocked, served over real HTTP on a
// free loopback port against a fresh clone of the seeded database. For tests
// that attack the public endpoint the way an outsider would.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp, createHttpServer, type AppSettings } from '../../src/app.js';
import type { Database } from '../../src/db/client.js';
import { cloneTestDatabase } from './database.js';

export interface ProductionServer {
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  host: string;
  port: number;
  db: Database;
  close(): Promise<void>;
}

export async function startProductionServer(
  options: {
    logger?: pino.Logger;
    requireAuthForReads?: boolean;
    /** Settings beside the configuration's defaults. */
    settings?: Partial<AppSettings>;
  } = {},
): Promise<ProductionServer> {
  const db = await cloneTestDatabase();
  const app = createApp({
    db,
    logger: options.logger ?? pino({ level: 'silent' }),
    requireAuthForReads: options.requireAuthForReads,
    // As src/config.ts derives them for NODE_ENV=production.
    production: true,
    graphiql: false,
    settings: options.settings,
  });
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/graphql`,
    origin,
    host: '127.0.0.1',
    port,
    db,
    async close() {
      server.closeEventStreams();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
