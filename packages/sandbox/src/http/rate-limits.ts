/**
 * ECS's API throttling as its documentation describes it ("Request throttling for the Amazon ECS API"): a token
 * bucket per action, `burst` tokens at most, refilled at `perSecond`; a call finding the bucket empty is answered
 * ThrottlingException and takes no token. Measured in real time whatever the sandbox's clock: the rate is the
 * caller's, as the network's latency is.
 */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

/** Per service and operation (`ecs:RegisterTaskDefinition`). */
export type RateLimits = Record<string, RateLimit>;

/**
 * ECS's limits, as its documentation lists them, for a sandbox started with `rateLimits: ECS_RATE_LIMITS`: only
 * those one step can reach on its own are modelled. RegisterTaskDefinition is a task definition modify action: 20 at once, 1 a second after.
 */
export const ECS_RATE_LIMITS: RateLimits = { 'ecs:RegisterTaskDefinition': { burst: 20, perSecond: 1 } };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** New limits, every bucket full. */
  set(limits: RateLimits): void {
    this.limits = limits;
    this.buckets.clear();
  }

  /** Takes a token for the call; false when the bucket is empty (the call is throttled). */
  allows(service: string, operation: string): boolean {
    const key = `${service}:${operation}`;
    const limit = this.limits[key];
    if (!limit) return true;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
