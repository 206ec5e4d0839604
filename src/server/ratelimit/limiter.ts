import type { RateLimitPolicy } from "./policies";

export type RateLimitResult = {
  success: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends (epoch ms); a refused caller may try again then. */
  reset: number;
};

/** What every backend (Upstash, self-hosted Redis, in-memory) offers. `key` already names the policy. */
export interface RateLimiter {
  readonly backend: "upstash" | "redis" | "memory";
  /** Counts one attempt for `key` and says whether it is within the policy. */
  limit(key: string, policy: RateLimitPolicy): Promise<RateLimitResult>;
  /** Forgets the attempts counted for `key` (tests, support staff lifting a block). */
  reset(key: string, policy: RateLimitPolicy): Promise<void>;
}
