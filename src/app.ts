// The HTTP application: GraphQL Yoga over the schema, with the database in
// every request's context. Kept free of start-up concerns so tests can serve
// it on any port against any database.
import { createServer, type Server } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Database } from './db/client.js';
import { handleExport } from './exports/routes.js';
import { createEventBus, type EventBus } from './events/bus.js';
import type { Logger } from './logger.js';
import { schema } from './schema/index.js';
import { createContext, type Context } from './schema/context.js';

export interface AppOptions {
  db: Database;
  logger: Logger;
  events?: EventBus;
  requireAuthForReads?: boolean;
  graphiql?: boolean;
  production?: boolean;
  /** Pins "today" (for tests of the version in force). */
  now?: () => Date;
}

const requestIds = new WeakMap<Request, string>();

export type App = YogaServerInstance<Record<string, never>, Context>;

export function createApp({
  db,
  logger,
  events = createEventBus(),
  requireAuthForReads = false,
  graphiql = true,
  production = false,
  now,
}: AppOptions): App {
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: graphiql
      ? {
          title: 'Privacy facts API',
          defaultQuery: `{
  organisation(slug: "mailcamp", locale: "nl") {
    name
    controllerEntities { legalName registrationNumber }
    notice { resolvedLocale version effectiveDate sections { anchor heading } }
  }
}`,
        }
      : false,
    // Faults are logged in full and shown to clients as "Unexpected error." in production.
    maskedErrors: production ? true : { isDev: true },
    logging: {
      debug: (...args) => logger.debug(args.length === 1 ? args[0] : args),
      info: (...args) => logger.info(args.length === 1 ? args[0] : args),
      warn: (...args) => logger.warn(args.length === 1 ? args[0] : args),
      error: (...args) => logger.error(args.length === 1 ? args[0] : args),
    },
    context: async ({ request }) => {
      const ctx = await createContext(request, { prisma: db.prisma, events, requireAuthForReads, now });
      requestIds.set(request, ctx.requestId);
      return ctx;
    },
    plugins: [
      {
        // The request id travels back to the client, so a question about a change can
        // point at its audit event.
        onResponse: ({ request, response }) => {
          const id = requestIds.get(request);
          if (id) response.headers.set('x-request-id', id);
        },
      },
    ],
  });
}

/** Yoga at /graphql, and the machine-readable exports beside it. */
export function createHttpServer(app: App, db: Database, options: { requireAuthForReads?: boolean } = {}): Server {
  return createServer((req, res) => {
    handleExport(db.prisma, req, res, { requireAuthForReads: options.requireAuthForReads ?? false })
      .then((handled) => {
        if (!handled) void app(req, res);
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'Unexpected error.' }));
        app.logger.error(error);
      });
  });
}
