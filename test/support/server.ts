// The API served over real HTTP on a free loopback port, against a real database.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp, createHttpServer, type App, type AppSettings } from '../../src/app.js';
import { loadConfig, type WebhookSettings } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { cloneTestDatabase } from './database.js';

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestServer {
  url: string;
  db: Database;
  app: App;
  /** POSTs a GraphQL operation; returns the parsed body. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Runs an operation and returns how many SQL statements it sent. */
  countStatements(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ statements: number; body: GraphQLResponse }>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: {
    now?: () => Date;
    logger?: pino.Logger;
    requireAuthForReads?: boolean;
    settings?: Partial<AppSettings>;
    /** Webhook settings over the defaults (a secrets key is always given); `worker` starts delivering. */
    webhooks?: Partial<WebhookSettings>;
  } = {},
): Promise<TestServer> {
  const db = await cloneTestDatabase();
  const webhooks: WebhookSettings = {
    ...loadConfig({}).webhooks,
    secretsKey: randomBytes(32),
    worker: false,
    ...options.webhooks,
  };
  const app = createApp({
    db,
    logger: options.logger ?? pino({ level: 'silent' }),
    now: options.now,
    requireAuthForReads: options.requireAuthForReads,
    settings: { webhooks, ...options.settings },
  });
  if (webhooks.worker) app.webhooks.worker.start();
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

  const gql: TestServer['gql'] = async (query, variables, headers = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as never;
  };

  return {
    url,
    db,
    app,
    gql,
    async countStatements(query, variables) {
      const before = db.statements.count;
      const body = await gql(query, variables);
      return { statements: db.statements.count - before, body };
    },
    async close() {
      await app.webhooks.worker.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
