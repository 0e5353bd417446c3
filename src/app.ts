// The HTTP application: GraphQL Yoga over the schema, with the database in
// every request's context. Kept free of start-up concerns so tests can serve
// it on any port against any database.
import { createServer, type Server } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Database } from './db/client.js';
import type { Logger } from './logger.js';
import { schema } from './schema/index.js';
import { createContext, type Context } from './schema/context.js';

export interface AppOptions {
  db: Database;
  logger: Logger;
  graphiql?: boolean;
  production?: boolean;
  /** Pins "today" (for tests of the version in force). */
  now?: () => Date;
}

export type App = YogaServerInstance<Record<string, never>, Context>;

export function createApp({ db, logger, graphiql = true, production = false, now }: AppOptions): App {
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
    context: ({ request }) => createContext(db.prisma, request, now),
  });
}

export function createHttpServer(app: App): Server {
  return createServer(app);
}
