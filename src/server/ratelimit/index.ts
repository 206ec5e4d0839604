import { Redis as UpstashRedis } from "@upstash/redis";
import { Redis as IORedis } from "ioredis";
import { pickEnv } from "@/env";
import { AppError } from "@/server/errors";
import { upstashRedisOverIORedis } from "./ioredis-adapter";
import type { RateLimiter, RateLimitResult, RateLimitUsage } from "./limiter";
import { MemoryRateLimiter } from "./memory-limiter";
import { RATE_LIMIT_POLICIES, type RateLimitPolicyName } from "./policies";
import { RedisRateLimiter } from "./redis-limiter";

export type { RateLimiter, RateLimitResult, RateLimitUsage } from "./limiter";
export { RATE_LIMIT_POLICIES, taskRequestPolicy, type RateLimitPolicyName } from "./policies";

/** Production: Upstash by URL and token; self-hosted: a Redis server by REDIS_URL; embedded default: memory. */
export function createRateLimiterFromEnv(): RateLimiter {
  const env = pickEnv(["UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN", "REDIS_URL"]);
  if (env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN) {
    const redis = new UpstashRedis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false });
    return new RedisRateLimiter(redis, "upstash");
  }
  if (env.REDIS_URL) {
    // Commands queue while (re)connecting; a Redis outage shows up as a slow limit call, which Ratelimit's own
    // 5 s timeout turns into "allowed" rather than taking the site down with it.
    const redis = new IORedis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
    return new RedisRateLimiter(upstashRedisOverIORedis(redis), "redis");
  }
  return new MemoryRateLimiter();
}

const globalForLimiter = globalThis as unknown as { __oaRateLimiter?: RateLimiter };

/** The process-wide limiter, created on first use (never during `next build`). */
export function getRateLimiter(): RateLimiter {
  globalForLimiter.__oaRateLimiter ??= createRateLimiterFromEnv();
  return globalForLimiter.__oaRateLimiter;
}

/** Tests swap in a limiter with their own Redis prefix or clock; `undefined` goes back to the configured one. */
export function setRateLimiter(limiter: RateLimiter | undefined) {
  globalForLimiter.__oaRateLimiter = limiter;
}

/** Counts one attempt under `policy` for `identifier` (a user id, an API client id, an email address…). */
export function checkRateLimit(options: { policy: RateLimitPolicyName; identifier: string }): Promise<RateLimitResult> {
  return getRateLimiter().limit(`${options.policy}:${options.identifier}`, RATE_LIMIT_POLICIES[options.policy]);
}

/** Where `identifier` stands under `policy` right now, read from the same limiter and key as `checkRateLimit`. */
export function peekRateLimit(options: { policy: RateLimitPolicyName; identifier: string }): Promise<RateLimitUsage> {
  return getRateLimiter().peek(`${options.policy}:${options.identifier}`, RATE_LIMIT_POLICIES[options.policy]);
}

export function retryAfterSeconds(result: RateLimitResult, now = Date.now()): number {
  return Math.max(1, Math.ceil((result.reset - now) / 1000));
}

/** The typed TOO_MANY_REQUESTS error for a refused attempt, with the retry time the caller should wait. */
export function rateLimitError(result: RateLimitResult, policy: RateLimitPolicyName): AppError {
  const retryAfter = retryAfterSeconds(result);
  return new AppError("TOO_MANY_REQUESTS", `Too many requests. Please try again in ${retryAfter} seconds.`, {
    retryAfterSeconds: retryAfter,
    policy,
    limit: result.limit,
  });
}

/**
 * Counts one attempt and throws a typed TOO_MANY_REQUESTS error (`details.retryAfterSeconds`) when the caller is
 * over the policy. For any code path that must be rate limited: task requests, chat replies, sign-in emails.
 */
export async function assertRateLimit(options: { policy: RateLimitPolicyName; identifier: string }): Promise<RateLimitResult> {
  const result = await checkRateLimit(options);
  if (!result.success) throw rateLimitError(result, options.policy);
  return result;
}
