import type { RateLimiter, RateLimitResult, RateLimitUsage } from "./limiter";
import { type RateLimitPolicy, windowMs } from "./policies";

/**
 * The embedded default: fixed windows counted in this process's memory. @upstash/ratelimit has no in-memory mode
 * (its `ephemeralCache` only remembers blocked callers; stack-notes §5), so this mirrors its `fixedWindow` instead:
 * the window is `floor(now / window)` and `reset` is that window's end. The limits hold per process, which is
 * exactly the single-process embedded setup; production uses Redis.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly backend = "memory";
  private readonly buckets = new Map<string, { reset: number; count: number; lastAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async limit(key: string, policy: RateLimitPolicy): Promise<RateLimitResult> {
    const size = windowMs(policy.window);
    const now = this.now();
    const reset = (Math.floor(now / size) + 1) * size;
    const bucket = this.buckets.get(key);
    const count = (bucket && bucket.reset === reset ? bucket.count : 0) + 1;
    this.buckets.set(key, { reset, count, lastAt: now });
    if (this.buckets.size > 10_000) this.sweep(now);
    return { success: count <= policy.attempts, limit: policy.attempts, remaining: Math.max(0, policy.attempts - count), reset };
  }

  async peek(key: string, policy: RateLimitPolicy): Promise<RateLimitUsage> {
    const size = windowMs(policy.window);
    const reset = (Math.floor(this.now() / size) + 1) * size;
    const bucket = this.buckets.get(key);
    const used = bucket && bucket.reset === reset ? bucket.count : 0;
    return { used, limit: policy.attempts, remaining: Math.max(0, policy.attempts - used), reset, lastAt: bucket?.lastAt ?? null };
  }

  async reset(key: string): Promise<void> {
    this.buckets.delete(key);
  }

  /** Drops finished windows so a long-running process does not grow without bound. */
  private sweep(now: number) {
    for (const [key, bucket] of this.buckets) if (bucket.reset <= now) this.buckets.delete(key);
  }
}
