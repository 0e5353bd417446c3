// Rate limits: per API key, and per client address for anonymous callers,
// answered with 429 and Retry-After. The counters live in memory (one
// process); rate-limiter-flexible has a Redis store for several instances.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimits {
  perMinute: number;
  keyPerMinute: number;
}

export class RateLimiter {
  private readonly anonymous: RateLimiterMemory | null;
  private readonly keyed: RateLimiterMemory | null;

  constructor(limits: RateLimits) {
    this.anonymous = limits.perMinute > 0 ? new RateLimiterMemory({ points: limits.perMinute, duration: 60 }) : null;
    this.keyed = limits.keyPerMinute > 0 ? new RateLimiterMemory({ points: limits.keyPerMinute, duration: 60 }) : null;
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
