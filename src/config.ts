// All configuration, read from the environment once and validated at start.
// A bad value stops the process with a message naming the variable.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { z } from 'zod';
import { parseSecretsKey } from './webhooks/secrets.js';

/** The Node.js versions package.json's "engines" declares; the server and the scripts check it at start. */
export const SUPPORTED_NODE: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } }
).engines.node;

/** Why this Node.js cannot run the project, or null when it can. */
export function nodeVersionProblem(version = process.versions.node): string | null {
  if (semver.satisfies(version, SUPPORTED_NODE)) return null;
  return `This is Node.js ${version}; the project needs Node.js ${SUPPORTED_NODE} (package.json "engines"). Install a supported version (for example Node.js 20 LTS, 20.19 or later) and run it again.`;
}

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL; leave it unset to use the embedded database')
    .optional(),
  DATABASE_REPLICA_URLS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\/.+/, 'must be a comma-separated list of postgres:// URLs')))
    .optional(),
  DATABASE_REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL; leave it unset to keep everything in-process')
    .optional(),
  REDIS_KEY_PREFIX: z.string().min(1).max(100).default('privacy-facts:'),
  SEED_ON_START: boolean.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  GRAPHIQL: boolean.optional(),
  REQUIRE_AUTH_FOR_READS: boolean.default(false),
  MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(12),
  MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(30),
  MAX_COST: z.coerce.number().int().min(1).default(250_000),
  MAX_TOKENS: z.coerce.number().int().min(10).default(3_000),
  MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  MAX_BODY_BYTES: z.coerce.number().int().min(1_000).default(1_000_000),
  INTROSPECTION: boolean.default(true),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_KEY_PER_MINUTE: z.coerce.number().int().min(0).default(3_000),
  TRUST_PROXY: boolean.default(false),
  RESPONSE_CACHE: boolean.default(true),
  RESPONSE_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(60),
  PERSISTED_OPERATIONS: z.enum(['off', 'automatic', 'allow-list']).default('automatic'),
  PERSISTED_OPERATIONS_FILE: z.string().min(1).optional(),
  METRICS: boolean.default(false),
  CHANGE_FEED_TAIL: z.enum(['auto', 'on', 'off']).default('auto'),
  CHANGE_FEED_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  WEBHOOK_WORKER: boolean.default(true),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(10_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).default(3_600_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1_000).default(15),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean.default(false),
  WEBHOOK_SECRETS_KEY: z
    .string()
    .refine((v) => parseSecretsKey(v) !== null, 'must be 32 bytes in base64 or hex (openssl rand -hex 32)')
    .optional(),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  /** Read replicas of the PostgreSQL server; read-only operations go there. */
  replicaUrls: string[];
  /** A replica further behind the primary than this is left out until it catches up. */
  replicaMaxLagMs: number;
  /** Shared state for several instances: subscriptions, response cache, rate limits. */
  redis?: { url: string; keyPrefix: string };
  seedOnStart: boolean;
  log: { level: string; format: 'json' | 'pretty' };
  graphiql: boolean;
  requireAuthForReads: boolean;
  limits: Limits;
  rateLimit: { perMinute: number; keyPerMinute: number; trustProxy: boolean };
  responseCache: { enabled: boolean; ttlSeconds: number };
  persistedOperations: { mode: 'off' | 'automatic' | 'allow-list'; file?: string };
  metrics: boolean;
  /** Following the change log for live subscriptions (changes written by other processes). */
  changeFeed: { tail: 'auto' | 'on' | 'off'; pollMs: number };
  webhooks: WebhookSettings;
};

export interface WebhookSettings {
  /** Deliver in this process. */
  worker: boolean;
  pollMs: number;
  /** Webhooks one process delivers to at once. */
  concurrency: number;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Failed attempts after which a delivery is given up and its webhook disabled. */
  maxAttempts: number;
  allowPrivateTargets: boolean;
  /** The key webhook secrets are encrypted with; null: the embedded database's key file, or none. */
  secretsKey: Buffer | null;
}

export interface Limits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  /** Whether clients may ask the schema (__schema, __type); schema.graphql is public either way. */
  introspection: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as a shell's `VAR=` usually means.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = result.data;
  if (c.PERSISTED_OPERATIONS === 'allow-list' && !c.PERSISTED_OPERATIONS_FILE) {
    throw new ConfigError(
      'Invalid configuration:\n  PERSISTED_OPERATIONS_FILE: required when PERSISTED_OPERATIONS=allow-list',
    );
  }
  const replicaUrls = c.DATABASE_REPLICA_URLS ?? [];
  if (replicaUrls.length > 0 && !c.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_REPLICA_URLS: replicas need a primary PostgreSQL server in DATABASE_URL',
    );
  }
  if (c.CHANGE_FEED_TAIL === 'on' && c.REDIS_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  CHANGE_FEED_TAIL: with REDIS_URL instances share notifications through Redis; following the log on each would announce every change once per instance (use auto or off)',
    );
  }
  const production = c.NODE_ENV === 'production';
  return {
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    database: c.DATABASE_URL ? { kind: 'postgres', url: c.DATABASE_URL } : { kind: 'pglite', dataDir: c.DATA_DIR },
    replicaUrls,
    replicaMaxLagMs: c.DATABASE_REPLICA_MAX_LAG_SECONDS * 1000,
    ...(c.REDIS_URL ? { redis: { url: c.REDIS_URL, keyPrefix: c.REDIS_KEY_PREFIX } } : {}),
    seedOnStart: c.SEED_ON_START,
    log: {
      level: c.LOG_LEVEL,
      format: c.LOG_FORMAT ?? (production ? 'json' : 'pretty'),
    },
    graphiql: c.GRAPHIQL ?? !production,
    requireAuthForReads: c.REQUIRE_AUTH_FOR_READS,
    limits: {
      maxDepth: c.MAX_DEPTH,
      maxAliases: c.MAX_ALIASES,
      maxCost: c.MAX_COST,
      maxTokens: c.MAX_TOKENS,
      maxDirectives: c.MAX_DIRECTIVES,
      maxBodyBytes: c.MAX_BODY_BYTES,
      requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
      introspection: c.INTROSPECTION,
    },
    rateLimit: {
      perMinute: c.RATE_LIMIT_PER_MINUTE,
      keyPerMinute: c.RATE_LIMIT_KEY_PER_MINUTE,
      trustProxy: c.TRUST_PROXY,
    },
    responseCache: { enabled: c.RESPONSE_CACHE, ttlSeconds: c.RESPONSE_CACHE_TTL_SECONDS },
    persistedOperations: { mode: c.PERSISTED_OPERATIONS, file: c.PERSISTED_OPERATIONS_FILE },
    metrics: c.METRICS,
    changeFeed: { tail: c.CHANGE_FEED_TAIL, pollMs: c.CHANGE_FEED_POLL_MS },
    webhooks: {
      worker: c.WEBHOOK_WORKER,
      pollMs: c.WEBHOOK_POLL_MS,
      concurrency: c.WEBHOOK_CONCURRENCY,
      timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: c.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: Math.max(c.WEBHOOK_RETRY_MAX_MS, c.WEBHOOK_RETRY_BASE_MS),
      maxAttempts: c.WEBHOOK_MAX_ATTEMPTS,
      allowPrivateTargets: c.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      secretsKey: c.WEBHOOK_SECRETS_KEY ? parseSecretsKey(c.WEBHOOK_SECRETS_KEY) : null,
    },
  };
}
