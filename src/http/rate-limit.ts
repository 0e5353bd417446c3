// Rate limits: per API key, and per client address for anonymous callers,
// answered with 429 and Retry-After. The counters live in memory, or in Redis
// when several instances share it, so a client cannot multiply its budget by
// the number of instances. While Redis is away each instance counts on its own
// (the insurance limiter) rather than letting everything through.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedRedis } from '../redis/connection.js';

export interface RateLimits {
  perMinute: number;
  keyPerMinute: number;
}

export class RateLimiter {
  private readonly anonymous: RateLimiterAbstract | null;
  private readonly keyed: RateLimiterAbstract | null;

  constructor(limits: RateLimits, redis?: SharedRedis) {
    const limiter = (points: number, name: string): RateLimiterAbstract | null => {
      if (points <= 0) return null;
      const memory = new RateLimiterMemory({ points, duration: 60 });
      if (!redis) return memory;
      return new RateLimiterRedis({
        storeClient: redis.commands,
        keyPrefix: `${redis.keyPrefix}rate:${name}`,
        points,
        duration: 60,
        insuranceLimiter: memory,
      });
    };
    this.anonymous = limiter(limits.perMinute, 'address');
    this.keyed = limiter(limits.keyPerMinute, 'key');
  }

  /** Takes one request from the caller's budget; returns the seconds to wait when it is spent. */
  async consume(caller: { keyId: string | null; address: string }): Promise<number | null> {
    const limiter = caller.keyId ? this.keyed : this.anonymous;
    if (!limiter) return null;
    try {
      await limiter.consume(caller.keyId ? `key:${caller.keyId}` : `ip:${caller.address}`);
      return null;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }
}

/** The client's address; behind a trusted proxy, the first X-Forwarded-For hop. */
export function clientAddress(remote: string | undefined, forwardedFor: string | null, trustProxy: boolean): string {
  if (trustProxy && forwardedFor) return forwardedFor.split(',')[0]!.trim();
  return remote ?? 'unknown';
}
