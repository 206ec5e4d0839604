import { type Duration, Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import type { RateLimiter, RateLimitResult, RateLimitUsage } from "./limiter";
import { type RateLimitPolicy, windowMs } from "./policies";

/** How long the time of a key's last attempt is kept. */
const LAST_USE_TTL_MS = 30 * 24 * 3_600_000;

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

  private lastUseKey(key: string) {
    return `${this.prefix}:last:${key}`;
  }

  async limit(key: string, policy: RateLimitPolicy): Promise<RateLimitResult> {
    // The time of the last attempt goes along in parallel (one more round trip, not one more wait).
    const [{ success, limit, remaining, reset }] = await Promise.all([
      this.limiterFor(policy).limit(key),
      this.redis.eval("return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])", [this.lastUseKey(key)], [Date.now(), LAST_USE_TTL_MS]),
    ]);
    return { success, limit, remaining, reset };
  }

  async peek(key: string, policy: RateLimitPolicy): Promise<RateLimitUsage> {
    const [window, last] = await Promise.all([
      this.limiterFor(policy).getRemaining(key),
      this.redis.eval("return redis.call('GET', KEYS[1])", [this.lastUseKey(key)], []) as Promise<string | number | null>,
    ]);
    const size = windowMs(policy.window);
    // getRemaining answers reset 0 for a window nobody used yet; the window's end is known from the clock anyway.
    const reset = (Math.floor(Date.now() / size) + 1) * size;
    const remaining = Math.max(0, window.remaining);
    return { used: Math.max(0, policy.attempts - window.remaining), limit: policy.attempts, remaining, reset, lastAt: last == null ? null : Number(last) };
  }

  async reset(key: string, policy: RateLimitPolicy): Promise<void> {
    await this.limiterFor(policy).resetUsedTokens(key);
  }
}
