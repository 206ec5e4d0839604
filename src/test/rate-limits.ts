import { afterEach, beforeEach } from "vitest";
import { setRateLimiter } from "@/server/ratelimit";
import type { RateLimiter } from "@/server/ratelimit/limiter";

/** A limiter that allows everything, for tests that measure or race the task path rather than its rate limits. */
export const unlimitedRateLimiter: RateLimiter = {
  backend: "memory",
  limit: async (_key, policy) => ({ success: true, limit: policy.attempts, remaining: policy.attempts, reset: Date.now() + 60_000 }),
  reset: async () => {},
  peek: async (_key, policy) => ({ used: 0, limit: policy.attempts, remaining: policy.attempts, reset: Date.now() + 60_000, lastAt: null }),
};

/** Installs `unlimitedRateLimiter` around every test of the calling file. */
export function withoutRateLimits(): void {
  beforeEach(() => setRateLimiter(unlimitedRateLimiter));
  afterEach(() => setRateLimiter(undefined));
}
