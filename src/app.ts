// The HTTP application: GraphQL Yoga over the schema, with the database in
// every request's context, the limits, caches and checks that keep it up, and
// the plain-HTTP routes beside it (health, exports). Kept free of start-up
// concerns so tests can serve it on any port against any database.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { getOperationAST, GraphQLError } from 'graphql';
import { createYoga, maskError, type GraphiQLOptions, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { loadConfig, type Config } from './config.js';
import { isDatabaseUnavailable } from './db/availability.js';
import type { Database } from './db/client.js';
import type { ReadReplicas } from './db/replicas.js';
import { Writer } from './domain/writer.js';
import { createEventBus, publishChanges, type EventBus } from './events/bus.js';
import { handleExport } from './exports/routes.js';
import { responseCache } from './http/cache.js';
import { handleHealth, type OptionalServices } from './http/health.js';
import { armorPlugins, timeoutPlugin } from './http/limits.js';
import { persistedOperationPlugins } from './http/persisted.js';
import { clientAddress, RateLimiter } from './http/rate-limit.js';
import { wellFormedTextPlugin } from './http/well-formed.js';
import type { Logger } from './logger.js';
import type { SharedRedis } from './redis/connection.js';
import { schema } from './schema/index.js';
import { createContext, type Context } from './schema/context.js';
import { identifyCaller, type Caller } from './auth/actor.js';

export type AppSettings = Pick<Config, 'limits' | 'rateLimit' | 'responseCache' | 'persistedOperations' | 'metrics'>;

export interface AppOptions {
  db: Database;
  logger: Logger;
  events?: EventBus;
  /** Shared state for several instances: notifications, cache generation, rate limits. */
  redis?: SharedRedis;
  /** Read replicas for read-only operations. */
  replicas?: ReadReplicas;
  requireAuthForReads?: boolean;
  graphiql?: boolean;
  production?: boolean;
  /** Limits, caching, persisted operations, metrics; the configuration's defaults when omitted. */
  settings?: Partial<AppSettings>;
  /** Pins "today" (for tests of the version in force). */
  now?: () => Date;
}

const requestIds = new WeakMap<Request, string>();

export type App = YogaServerInstance<{ req?: { socket?: { remoteAddress?: string } } }, Context> & {
  settings: AppSettings;
  db: Database;
  /** Redis and replicas, for readiness. */
  services: OptionalServices;
  /** The server's writer, for writes made outside GraphQL (a command run by the server). */
  writer: Writer;
};

const DATABASE_UNAVAILABLE = () =>
  new GraphQLError('The database is unavailable; try again shortly.', {
    extensions: { code: 'DATABASE_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': '5' } } },
  });

export function createApp(options: AppOptions): App {
  const {
    db,
    logger,
    redis,
    replicas,
    events = createEventBus({ redis, logger }),
    requireAuthForReads = false,
    graphiql = true,
    production = false,
    now,
  } = options;
  const settings: AppSettings = { ...loadConfig({}), ...options.settings };
  const cache = responseCache({
    ...settings.responseCache,
    enabled: settings.responseCache.enabled && !requireAuthForReads,
    redis,
    logger,
  });
  const rateLimiter = new RateLimiter(settings.rateLimit, redis);

  // A write that other instances could not hear of would leave their subscribers
  // uninformed and their caches stale, so while Redis is away writes wait.
  const writesBlocked = () =>
    redis && !redis.available()
      ? `Writes are paused: the shared state other instances rely on (Redis) is ${redis.describe()}. Try again shortly.`
      : null;

  // With replicas, a read just after a write may still meet a replica that has not
  // replayed it, and the cache would keep that answer: one more generation, once
  // a replica in use must have caught up, drops it.
  const afterWrite = replicas
    ? async () => {
        await cache.afterCommit();
        setTimeout(() => void cache.afterCommit(), replicas.settleMs).unref();
      }
    : cache.afterCommit;

  const writer = new Writer({
    prisma: db.prisma,
    publish: (changes, at) => publishChanges(events, changes, at),
    beforeCommit: cache.beforeCommit,
    afterCommit: afterWrite,
    writesBlocked,
  });

  // Records the operation's kind for the cache (only queries are cached). Reads of a
  // mutation (its payload included) must see the write they follow, and a change
  // notification must find the record it announces: both go to the primary.
  const markOperation = (ctx: Context, kind: Context['operation']) => {
    ctx.operation = kind;
    if (kind !== 'query') ctx.prisma = db.prisma;
  };
  const operationKind: Plugin<Context> = {
    onExecute({ args }) {
      markOperation(args.contextValue, getOperationAST(args.document, args.operationName)?.operation);
    },
    onSubscribe({ args }) {
      markOperation(args.contextValue, 'subscription');
    },
  };

  // Rate limits come first, before a cached answer could be served: every request counts.
  const callers = new WeakMap<Request, Caller>();
  const rateLimit: Plugin<{ req?: { socket?: { remoteAddress?: string } } }> = {
    async onRequest({ request, serverContext, endResponse, fetchAPI }) {
      const authorization = request.headers.get('authorization');
      let caller: Caller = { actor: null, problem: null };
      if (authorization) {
        // An unreachable database is answered later, as a 503; here the caller counts as anonymous.
        caller = await identifyCaller(db.prisma, authorization, now?.() ?? new Date()).catch(() => caller);
        callers.set(request, caller);
      }
      const wait = await rateLimiter.consume({
        keyId: caller.actor?.keyId ?? null,
        address: clientAddress(
          (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req?.socket?.remoteAddress,
          request.headers.get('x-forwarded-for'),
          settings.rateLimit.trustProxy,
        ),
      });
      if (wait !== null) {
        const body = {
          errors: [{ message: `Too many requests; try again in ${wait} s.`, extensions: { code: 'RATE_LIMITED' } }],
        };
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': String(wait) },
          }),
        );
      }
    },
  };

  const requestLog: Plugin = {
    // The request id travels back to the client, so a question about a change can
    // point at its audit event; every response is logged with it.
    onRequest({ request }) {
      (request as Request & { startedAt?: number }).startedAt = performance.now();
    },
    onResponse({ request, response }) {
      const id = requestIds.get(request);
      if (id) response.headers.set('x-request-id', id);
      const started = (request as Request & { startedAt?: number }).startedAt;
      logger.info({
        requestId: id,
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        ms: started ? Math.round(performance.now() - started) : undefined,
      });
    },
  };

  const graphiqlRenderer = localGraphiQL();
  const yoga = createYoga<{ req?: { socket?: { remoteAddress?: string } } }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: graphiql
      ? {
          title: 'Privacy facts API',
          defaultQuery: DEFAULT_QUERY,
        }
      : false,
    // GraphiQL from the package itself, not from a CDN: it works without internet.
    renderGraphiQL: graphiqlRenderer.render,
    // Faults are logged in full and shown to clients as "Unexpected error." in production;
    // an unreachable database is a 503 a client may retry.
    maskedErrors: {
      isDev: !production,
      maskError: (error, message, isDev) =>
        isDatabaseUnavailable(error) ? DATABASE_UNAVAILABLE() : maskError(error, message, isDev),
    },
    logging: {
      debug: (...args) => logger.debug(args.length === 1 ? args[0] : args),
      info: (...args) => logger.info(args.length === 1 ? args[0] : args),
      warn: (...args) => logger.warn(args.length === 1 ? args[0] : args),
      error: (...args) => logger.error(args.length === 1 ? args[0] : args),
    },
    context: async ({ request }) => {
      let ctx: Context;
      try {
        ctx = await createContext(request, {
          prisma: replicas?.client() ?? db.prisma,
          events,
          requireAuthForReads,
          now,
          writer,
          caller: callers.get(request),
        });
      } catch (error) {
        throw isDatabaseUnavailable(error) ? DATABASE_UNAVAILABLE() : error;
      }
      requestIds.set(request, ctx.requestId);
      return ctx;
    },
    plugins: [
      rateLimit,
      requestLog,
      wellFormedTextPlugin(),
      ...armorPlugins(settings.limits, production),
      operationKind as Plugin,
      timeoutPlugin(settings.limits.requestTimeoutMs),
      ...persistedOperationPlugins(settings.persistedOperations.mode, settings.persistedOperations.file),
      ...cache.plugins,
      ...(settings.metrics ? [usePrometheus({ endpoint: '/metrics' }) as Plugin] : []),
      graphiqlRenderer.plugin,
    ],
  });
  return Object.assign(yoga, {
    settings,
    db,
    services: { redis, replicas },
    writer,
  });
}

const DEFAULT_QUERY = `{
  organisation(slug: "mailcamp", locale: "nl") {
    name
    notice {
      resolvedLocale
      version
      title
      sections { anchor heading }
    }
  }
}`;

// The GraphiQL page is one document with its script inline (about 9 MB, from
// @graphql-yoga/render-graphiql). It is rendered once per set of options, and
// served with a Content-Security-Policy that allows that script by its hash,
// its editor workers from blob: URLs, and requests to this server only.
const renderedGraphiQL = new Map<string, { html: string; policy: string }>();

function graphiqlPage(options: GraphiQLOptions): { html: string; policy: string } {
  const key = JSON.stringify(options);
  let page = renderedGraphiQL.get(key);
  if (!page) {
    const html = renderGraphiQL(options);
    const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
    );
    const policy = [
      "default-src 'none'",
      `script-src ${hashes.join(' ')}`,
      'worker-src blob:',
      // The editor adds style elements and attributes as it goes.
      "style-src 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
    page = { html, policy };
    renderedGraphiQL.set(key, page);
  }
  return page;
}

function localGraphiQL(): { render: (options: GraphiQLOptions) => string; plugin: Plugin } {
  let policy: string | undefined;
  return {
    render(options) {
      const page = graphiqlPage(options);
      policy = page.policy;
      return page.html;
    },
    plugin: {
      onResponse({ response }) {
        if (!policy || !response.headers.get('content-type')?.startsWith('text/html')) return;
        response.headers.set('content-security-policy', policy);
        response.headers.set('x-content-type-options', 'nosniff');
      },
    },
  };
}

export type HttpServer = Server & {
  /**
   * Closes every open event stream (subscriptions). They never finish by
   * themselves, so a stopping server would otherwise wait for its deadline;
   * clients reconnect, through a load balancer to another instance.
   */
  closeEventStreams(): void;
};

/** Yoga at /graphql, with the health checks and machine-readable exports beside it. */
export function createHttpServer(app: App, db: Database, options: { requireAuthForReads?: boolean } = {}): HttpServer {
  const streams = new Set<IncomingMessage>();
  const server = createServer((req, res) => {
    if (req.headers.accept?.includes('text/event-stream')) {
      streams.add(req);
      res.once('close', () => streams.delete(req));
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > app.settings.limits.maxBodyBytes) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(
        JSON.stringify({
          errors: [{ message: `The request body is larger than ${app.settings.limits.maxBodyBytes} bytes.` }],
        }),
      );
      req.destroy();
      return;
    }
    handleHealth(db, req, res, app.services)
      .then(
        (handled) =>
          handled || handleExport(db.prisma, req, res, { requireAuthForReads: options.requireAuthForReads ?? false }),
      )
      .then((handled) => {
        if (!handled) void app(req, res);
      })
      .catch((error: unknown) => {
        const unavailable = isDatabaseUnavailable(error);
        res.writeHead(unavailable ? 503 : 500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: unavailable ? 'The database is unavailable; try again shortly.' : 'Unexpected error.',
          }),
        );
        if (!unavailable) app.logger.error(error);
      });
  });
  return Object.assign(server, {
    closeEventStreams: () => {
      for (const req of streams) req.socket.destroy();
    },
  });
}
