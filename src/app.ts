// The GraphQL application: Yoga over the schema, with the database, the
// caller and the writer in every request's context, and the limits that keep
// it up. The HTTP layer in front of it (src/http/server.ts) owns what every
// route shares: rate limits, the request log, metrics, body limits and the
// answer cache. Kept free of start-up concerns so tests can serve it on any
// port against any database.
import { getOperationAST, GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Caller } from './auth/actor.js';
import { loadConfig, type Config } from './config.js';
import { isDatabaseUnavailable } from './db/availability.js';
import type { Database } from './db/client.js';
import type { ReadReplicas } from './db/replicas.js';
import { Writer } from './domain/writer.js';
import { createEventBus, publishChanges, type EventBus } from './events/bus.js';
import { ChangeLogTail } from './events/tail.js';
import { answerCache, type AnswerCache } from './http/answers.js';
import { DEFAULT_QUERY, localGraphiQL } from './http/graphiql.js';
import type { OptionalServices } from './http/health.js';
import {
  armorPlugins,
  codedErrorsPlugin,
  connectionArgumentsPlugin,
  inputBoundsPlugin,
  noIntrospectionPlugin,
  noSuggestionsPlugin,
  timeoutPlugin,
} from './http/limits.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { persistedOperationPlugins } from './http/persisted.js';
import { RateLimiter } from './http/rate-limit.js';
import { changeCursorPlugin } from './schema/changes/event-ids.js';
import { webhookServices, type WebhookServices } from './webhooks/service.js';
import type { Logger } from './logger.js';
import type { SharedRedis } from './redis/connection.js';
import { createContext, type Context } from './schema/context.js';
import { schema } from './schema/index.js';

export { createHttpServer, type HttpServer } from './http/server.js';

export type AppSettings = Pick<
  Config,
  'limits' | 'rateLimit' | 'responseCache' | 'persistedOperations' | 'metrics' | 'webhooks'
>;

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
  /**
   * Announce changes by following the change log (src/events/tail.ts) instead of
   * from the writer: every committed change, whichever process wrote it.
   */
  tailChangeLog?: { pollMs: number };
}

/** What the HTTP layer hands Yoga with each request. */
export interface ServerContext {
  caller: Caller;
  requestId: string;
}

/** What an executed operation was, for the answer cache: only error-free queries are kept. */
export interface ExecutedOperation {
  type: 'query' | 'mutation' | 'subscription' | 'unknown';
  ok: boolean;
}

export type App = YogaServerInstance<ServerContext, Context> & {
  settings: AppSettings;
  /** The structured log (Yoga's own `logger` writes to it too). */
  log: Logger;
  db: Database;
  /** Redis and replicas, for readiness. */
  services: OptionalServices;
  /** The one writer, also for writes made outside GraphQL (a command run by the server). */
  writer: Writer;
  /** Webhook secrets and the delivery worker (started by src/server.ts). */
  webhooks: WebhookServices;
  /** With `tailChangeLog`: the log follower that announces changes (started by src/server.ts). */
  changeTail: ChangeLogTail | null;
  answers: AnswerCache;
  rateLimiter: RateLimiter;
  metrics: Metrics | null;
  requireAuthForReads: boolean;
  now: () => Date;
  /** The operation a request executed, once it has. */
  operationOf(request: Request): ExecutedOperation | undefined;
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
  } = options;
  const now = options.now ?? (() => new Date());
  const settings: AppSettings = { ...loadConfig({}), ...options.settings };
  const answers = answerCache({
    ...settings.responseCache,
    enabled: settings.responseCache.enabled && !requireAuthForReads,
    redis,
    logger,
  });
  const metrics = settings.metrics ? createMetrics() : null;

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
        await answers.afterCommit();
        setTimeout(() => void answers.afterCommit(), replicas.settleMs).unref();
      }
    : answers.afterCommit;

  // Committed changes: to subscribers (directly, or through the log follower, which
  // then announces every process's changes), and the webhook worker looks for work at once.
  const changeTail = options.tailChangeLog
    ? new ChangeLogTail({
        prisma: db.prisma,
        events,
        pollMs: options.tailChangeLog.pollMs,
        logger,
        onEntries: () => void answers.afterCommit().catch(() => undefined),
      })
    : null;
  const writer = new Writer({
    prisma: db.prisma,
    publish: (changes, at) => {
      if (changeTail) changeTail.poke();
      else publishChanges(events, changes, at);
      webhooks.worker.poke();
    },
    beforeCommit: answers.beforeCommit,
    afterCommit: afterWrite,
    writesBlocked,
  });
  const webhooks = webhookServices({ prisma: db.prisma, writer, settings: settings.webhooks, logger });

  // Records what each request executed (for the answer cache and the metrics). Reads
  // of a mutation (its payload included) must see the write they follow, and a change
  // notification must find the record it announces: both go to the primary.
  const executed = new WeakMap<Request, ExecutedOperation>();
  const operationKind: Plugin<Context> = {
    onExecute({ args }) {
      const ctx = args.contextValue;
      const type = getOperationAST(args.document, args.operationName)?.operation ?? 'unknown';
      ctx.operation = type === 'unknown' ? undefined : type;
      if (type !== 'query') ctx.prisma = db.prisma;
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const ok = !('errors' in result && result.errors?.length);
          if (ctx.request) executed.set(ctx.request, { type, ok });
          metrics?.operation(type, ok ? 'ok' : 'error', (performance.now() - started) / 1000);
        },
      };
    },
    onSubscribe({ args }) {
      args.contextValue.operation = 'subscription';
      args.contextValue.prisma = db.prisma;
    },
  };

  const graphiqlRenderer = localGraphiQL();
  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: graphiql ? { title: 'Privacy facts API', defaultQuery: DEFAULT_QUERY } : false,
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
    context: async ({ request, caller, requestId }) => {
      try {
        return await createContext(request, {
          prisma: replicas?.client() ?? db.prisma,
          events,
          requireAuthForReads,
          now,
          writer,
          caller,
          requestId,
          webhooks,
        });
      } catch (error) {
        throw isDatabaseUnavailable(error) ? DATABASE_UNAVAILABLE() : error;
      }
    },
    plugins: [
      inputBoundsPlugin(),
      connectionArgumentsPlugin(),
      ...armorPlugins(settings.limits, production),
      codedErrorsPlugin(),
      ...(production ? [noSuggestionsPlugin()] : []),
      ...(settings.limits.introspection ? [] : [noIntrospectionPlugin()]),
      operationKind as Plugin,
      changeCursorPlugin() as Plugin,
      timeoutPlugin(settings.limits.requestTimeoutMs),
      ...persistedOperationPlugins(settings.persistedOperations.mode, settings.persistedOperations.file),
      graphiqlRenderer.plugin,
    ],
  });
  return Object.assign(yoga, {
    settings,
    log: logger,
    db,
    services: { redis, replicas },
    writer,
    webhooks,
    changeTail,
    answers,
    rateLimiter: new RateLimiter(settings.rateLimit, redis),
    metrics,
    requireAuthForReads,
    now,
    operationOf: (request: Request) => executed.get(request),
  });
}
