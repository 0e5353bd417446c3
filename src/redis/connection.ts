// Redis, when several instances share state (REDIS_URL): change notifications,
// the response cache's generation and the rate-limit counters. Two
// connections, because a connection in subscriber mode can do nothing else.
// Commands fail at once while Redis is away instead of queueing, so no request
// waits on it; both connections reconnect by themselves.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';

export interface SharedRedis {
  /** Commands and PUBLISH; fails fast while disconnected. */
  commands: Redis;
  /** SUBSCRIBE only; re-subscribes by itself after a reconnection. */
  subscriber: Redis;
  /** Prepended to every key and channel, so deployments can share one Redis. */
  keyPrefix: string;
  /** True while both connections are up. */
  available(): boolean;
  /** "reachable", or why not (for /ready and error messages). */
  describe(): string;
  /** Called each time the connections are back after a loss. */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

const COMMON: RedisOptions = {
  connectTimeout: 2_000,
  // Back off up to 2 s between attempts, and never give up.
  retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
};

export function connectRedis(url: string, options: { keyPrefix: string; logger: Logger }): SharedRedis {
  const { logger } = options;
  const commands = new Redis(url, {
    ...COMMON,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
  });
  // Subscriptions made while away are sent once the connection is back.
  const subscriber = new Redis(url, { ...COMMON, maxRetriesPerRequest: null });

  let lastError: string | null = null;
  let lost = false;
  const listeners: (() => void)[] = [];
  const available = () => commands.status === 'ready' && subscriber.status === 'ready';

  for (const connection of [commands, subscriber]) {
    connection.on('error', (error: Error) => {
      // ioredis reports every failed attempt; one line per change of state is enough.
      if (lastError !== error.message) logger.warn({ err: error }, 'Redis is unreachable');
      lastError = error.message;
    });
    connection.on('close', () => {
      if (!lost) logger.warn('lost the connection to Redis; serving without shared state until it is back');
      lost = true;
    });
    connection.on('ready', () => {
      if (!available()) return;
      lastError = null;
      if (lost) {
        lost = false;
        logger.info('Redis is back');
        for (const listener of listeners) listener();
      }
    });
  }

  return {
    commands,
    subscriber,
    keyPrefix: options.keyPrefix,
    available,
    describe: () => (available() ? 'reachable' : `unreachable: ${lastError ?? commands.status}`),
    onReconnect: (listener) => void listeners.push(listener),
    close: async () => {
      await Promise.allSettled([commands.quit(), subscriber.quit()]);
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}

/** Waits a little for the first connection, so an instance starts with shared state when it can. */
export async function waitForRedis(redis: SharedRedis, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!redis.available() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return redis.available();
}
