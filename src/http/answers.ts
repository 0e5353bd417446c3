// The answer cache: public GraphQL reads answered from the HTTP layer, before
// the GraphQL pipeline, until a write commits.
//
// An answer is stored under what makes it differ — the operation (query text,
// operation name, variables, persisted-query hash), the negotiated locale chain
// (not the raw Accept-Language: "de-AT,de;q=0.9" and "de-AT" share an entry),
// the answer's media type and the caller class — together with the cache
// generation read before it was computed. Every committed write starts a new
// generation (inside its transaction, and again after commit), so an answer
// computed before a write can never be served after it, on any instance when
// the generation lives in Redis. A lookup is one round trip: the current
// generation and the entry in one MGET. The ETag is a hash of the answer's
// bytes: nothing internal shows.
import { createHash, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';
import type { SharedRedis } from '../redis/connection.js';

export interface StoredAnswer {
  generation: string;
  contentType: string;
  body: string;
  etag: string;
  /** When it was computed (Last-Modified). */
  at: number;
}

export interface Lookup {
  /** The answer stored under the current generation, if any. */
  hit: StoredAnswer | null;
  /** The generation to store a freshly computed answer under; null when nothing may be stored. */
  generation: string | null;
}

export interface AnswerCache {
  enabled: boolean;
  ttlSeconds: number;
  lookup(key: string): Promise<Lookup>;
  store(
    key: string,
    generation: string,
    answer: Omit<StoredAnswer, 'generation' | 'etag' | 'at'>,
  ): Promise<StoredAnswer>;
  /**
   * Starts a new generation from inside a write's transaction, just before it
   * commits; it throws when that fails (Redis refusing), and the write is
   * refused: a committed write that other instances' caches did not hear of
   * would be served stale.
   */
  beforeCommit(): Promise<void>;
  /** Starts another after commit, for reads that ran during the transaction; never throws (retried). */
  afterCommit(): Promise<void>;
}

export const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** The key of an answer: a hash of everything it depends on. */
export function answerKey(parts: {
  operation: string;
  locales: readonly string[];
  mediaType: string;
  callerClass: string;
}): string {
  // NUL cannot occur in any part (refused in text, absent from headers): an unambiguous separator.
  return createHash('sha256')
    .update(`${parts.callerClass}\0${parts.mediaType}\0${parts.locales.join(',')}\0${parts.operation}`)
    .digest('base64url');
}

interface Store {
  lookup(key: string): Promise<Lookup>;
  put(key: string, answer: StoredAnswer, ttlMs: number): Promise<void>;
  newGeneration(): Promise<void>;
}

/** The entries and the generation in this process. */
function inProcess(maxBytes: number): Store {
  let generation = randomUUID();
  const entries = new LRUCache<string, StoredAnswer>({
    maxSize: maxBytes,
    sizeCalculation: (a) => a.body.length + 200,
    ttlAutopurge: false,
  });
  return {
    lookup: async (key) => {
      const found = entries.get(key);
      return { hit: found && found.generation === generation ? found : null, generation };
    },
    put: async (key, answer, ttlMs) => void entries.set(key, answer, { ttl: ttlMs }),
    newGeneration: async () => {
      generation = randomUUID();
    },
  };
}

const generationKeyOf = (redis: SharedRedis) => `${redis.keyPrefix}cache:generation`;

/**
 * Starts a new generation of the shared cache. A random one, not a counter: a
 * Redis restored from an old snapshot cannot bring back a generation that old
 * entries were stored under. Also used by commands that write.
 */
export async function startNewSharedGeneration(redis: SharedRedis): Promise<void> {
  await redis.commands.set(generationKeyOf(redis), randomUUID());
}

/** The entries and the generation in Redis, shared by every instance. */
function inRedis(redis: SharedRedis, logger: Logger): Store {
  const generationKey = generationKeyOf(redis);
  const entryKey = (key: string) => `${redis.keyPrefix}cache:answer:${key}`;
  const store: Store = {
    lookup: async (key) => {
      if (!redis.available()) return { hit: null, generation: null };
      try {
        const [generation, entry] = await redis.commands.mget(generationKey, entryKey(key));
        if (!generation) {
          // No generation (a new, flushed or evicting Redis): start one rather than assume
          // a fixed first value that entries left from before could still be stored under.
          await redis.commands.set(generationKey, randomUUID(), 'NX');
          return { hit: null, generation: await redis.commands.get(generationKey) };
        }
        const answer = entry ? (JSON.parse(entry) as StoredAnswer) : null;
        return { hit: answer && answer.generation === generation ? answer : null, generation };
      } catch {
        return { hit: null, generation: null };
      }
    },
    put: async (key, answer, ttlMs) => {
      await redis.commands.set(entryKey(key), JSON.stringify(answer), 'PX', ttlMs).catch(() => undefined);
    },
    newGeneration: () => startNewSharedGeneration(redis),
  };
  // What an instance could not invalidate while Redis was away is invalidated when it is back.
  redis.onReconnect(() => {
    store.newGeneration().catch((error: unknown) => logger.error({ err: error }, 'could not reset the cache'));
  });
  return store;
}

export function answerCache(options: {
  enabled: boolean;
  ttlSeconds: number;
  redis?: SharedRedis;
  logger: Logger;
  /** In-process only: how much answer text to keep. */
  maxBytes?: number;
}): AnswerCache {
  const { logger, ttlSeconds } = options;
  const store = options.redis ? inRedis(options.redis, logger) : inProcess(options.maxBytes ?? 64 * 1024 * 1024);
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
    enabled: options.enabled,
    ttlSeconds,
    lookup: (key) => store.lookup(key),
    store: async (key, generation, answer) => {
      const stored = { ...answer, generation, etag: etagOf(answer.body), at: Date.now() };
      await store.put(key, stored, ttlSeconds * 1000);
      return stored;
    },
    beforeCommit: () => store.newGeneration(),
    afterCommit: async () => {
      try {
        await store.newGeneration();
      } catch (error) {
        logger.error({ err: error }, 'could not start a new cache generation after a write; retrying');
        if (!retrying) retryInBackground();
      }
    },
  };
}
