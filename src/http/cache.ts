// The response cache for public reads. Anonymous queries are answered from the
// cache until a write commits. Every cache key carries the cache's current
// generation and a committed write starts a new one, so a change is visible on
// the next read — on every instance when the generation lives in Redis — and
// a read that began before the write can only store its answer under the old
// generation, where nobody looks any more. Responses carry ETag/Last-Modified
// (a revalidation answers 304), and public GET queries say how long a CDN may
// keep them.
import { randomUUID } from 'node:crypto';
import { createInMemoryCache, hashSHA256, useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import type { SharedRedis } from '../redis/connection.js';

export interface ResponseCache {
  plugins: Plugin[];
  /**
   * Starts a new generation from inside a write's transaction, just before it
   * commits. It throws when the generation cannot be replaced (Redis refusing
   * or timing out), and the write is then refused: a committed write that
   * other instances' caches did not hear of would be served stale.
   */
  beforeCommit(): Promise<void>;
  /**
   * Starts another generation after the commit, before the response, for
   * reads that ran during the transaction. Never throws; when it fails it is
   * retried in the background until it succeeds or the TTL has passed.
   */
  afterCommit(): Promise<void>;
}

/** Where cached responses and the generation live: this process, or Redis. */
interface CacheStore {
  /** The current generation, or null when it cannot be known (then nothing is cached). */
  generation(): Promise<string | null> | string | null;
  newGeneration(): Promise<void>;
  available(): boolean;
  /** Entries by key; `get` answers only for keys of the current generation. */
  entries: Cache;
}

const GENERATION_SEPARATOR = ':g';

function generationOf(key: string): string {
  return key.slice(key.lastIndexOf(GENERATION_SEPARATOR) + GENERATION_SEPARATOR.length);
}

function inProcessStore(): CacheStore {
  let generation = 0;
  const memory = createInMemoryCache();
  return {
    generation: () => String(generation),
    newGeneration: async () => void (generation += 1),
    available: () => true,
    entries: {
      get: (key) => (generationOf(key) === String(generation) ? memory.get(key) : undefined),
      set: (key, result, entities, ttl) => memory.set(key, result, entities, ttl),
      invalidate: () => undefined,
    },
  };
}

const generationKeyOf = (redis: SharedRedis) => `${redis.keyPrefix}cache:generation`;

/**
 * Starts a new generation of the shared cache. A random one, not a counter: a
 * Redis restored from an old snapshot cannot bring back a generation that old
 * entries were stored under. Also used by commands that write (manifest loads).
 */
export async function startNewSharedGeneration(redis: SharedRedis): Promise<void> {
  await redis.commands.set(generationKeyOf(redis), randomUUID());
}

function redisStore(redis: SharedRedis, logger: Logger): CacheStore {
  const generationKey = generationKeyOf(redis);
  const entryKey = (key: string) => `${redis.keyPrefix}cache:response:${key}`;
  const store: CacheStore = {
    generation: async () => {
      if (!redis.available()) return null;
      try {
        const current = await redis.commands.get(generationKey);
        if (current) return current;
        // No generation (a new, flushed or evicting Redis): start one rather than assume
        // a fixed first value that entries left from before could still be stored under.
        await redis.commands.set(generationKey, randomUUID(), 'NX');
        return await redis.commands.get(generationKey);
      } catch {
        return null;
      }
    },
    newGeneration: () => startNewSharedGeneration(redis),
    available: redis.available,
    entries: {
      // One round trip answers both "is this key current?" and "what is stored under it?".
      get: async (key) => {
        const found = await redis.commands.mget(generationKey, entryKey(key)).catch(() => [null, null]);
        const [generation, entry] = found;
        return entry && generation && generationOf(key) === generation ? JSON.parse(entry) : undefined;
      },
      set: async (key, result, _entities, ttl) => {
        await redis.commands.set(entryKey(key), JSON.stringify(result), 'PX', ttl).catch(() => undefined);
      },
      invalidate: () => undefined,
    },
  };
  // What an instance could not invalidate while Redis was away is invalidated when it is back.
  redis.onReconnect(() => {
    store.newGeneration().catch((error: unknown) => logger.error({ err: error }, 'could not reset the cache'));
  });
  return store;
}

export function responseCache(options: {
  ttlSeconds: number;
  enabled: boolean;
  redis?: SharedRedis;
  logger: Logger;
}): ResponseCache {
  const { logger, ttlSeconds } = options;
  const store = options.redis ? redisStore(options.redis, logger) : inProcessStore();
  const isPublic = (request: Request) => !request.headers.get('authorization');
  let retrying = false;
  const retryInBackground = (attempt = 1) => {
    retrying = true;
    setTimeout(() => {
      store.newGeneration().then(
        () => {
          retrying = false;
          logger.info('started a new cache generation after an earlier failure');
        },
        () => (attempt < ttlSeconds ? retryInBackground(attempt + 1) : (retrying = false)),
      );
    }, 1_000).unref();
  };
  return {
    beforeCommit: () => store.newGeneration(),
    afterCommit: async () => {
      try {
        await store.newGeneration();
      } catch (error) {
        logger.error({ err: error }, 'could not start a new cache generation after a write; retrying');
        if (!retrying) retryInBackground();
      }
    },
    plugins: options.enabled
      ? [
          useResponseCache({
            cache: store.entries,
            ttl: options.ttlSeconds * 1000,
            // Keys see drafts and the audit trail: their answers are never shared. Only
            // queries are cached (the operation is known from execution on, see src/app.ts).
            enabled: (request, context) =>
              isPublic(request) && store.available() && (context as { operation?: string }).operation !== 'mutation',
            session: () => null,
            // Writes start a new generation themselves (src/schema/common/write.ts).
            invalidateViaMutation: false,
            buildResponseCacheKey: async ({ documentString, variableValues, operationName, request }) => {
              // Only public requests use the cache: the others need no trip to Redis.
              const generation = isPublic(request) ? await store.generation() : null;
              const operation = await hashSHA256(
                JSON.stringify([documentString, operationName ?? null, variableValues ?? {}]),
              );
              return `${operation}${GENERATION_SEPARATOR}${generation ?? 'none'}`;
            },
          }),
          {
            onResponse({ request, response }) {
              const cacheable = request.method === 'GET' && isPublic(request) && response.status === 200;
              response.headers.set('cache-control', cacheable ? `public, max-age=${options.ttlSeconds}` : 'no-store');
            },
          },
        ]
      : [],
  };
}
