import { type Duration, Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import type { RateLimiter, RateLimitResult } from "./limiter";
import type { RateLimitPolicy } from "./policies";

/**
 * Limits counted in Redis by @upstash/ratelimit: Upstash by REST in production, or a self-hosted server through
 * the ioredis adapter. Shared by every app process, so the limits hold across replicas.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly limiters = new Map<string, Ratelimit>();

  constructor(
    private readonly redis: Redis,
    readonly backend: "upstash" | "redis",
    /** Key prefix, so several deployments (or test runs) can share one Redis. */
    private readonly prefix = "oa:rl",
  ) {}

  private limiterFor(policy: RateLimitPolicy): Ratelimit {
    const id = `${policy.attempts}/${policy.window}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.fixedWindow(policy.attempts, policy.window as Duration),
        prefix: this.prefix,
        // No phone-home and no IP deny list download: both need the internet (stack-notes G8).
        enableTelemetry: false,
        analytics: false,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  async limit(key: string, policy: RateLimitPolicy): Promise<RateLimitResult> {
    const { success, limit, remaining, reset } = await this.limiterFor(policy).limit(key);
    return { success, limit, remaining, reset };
  }

  async reset(key: string, policy: RateLimitPolicy): Promise<void> {
    await this.limiterFor(policy).resetUsedTokens(key);
  }
}
