import type { RateLimitPolicy } from "./policies";

export type RateLimitResult = {
  success: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends (epoch ms); a refused caller may try again then. */
  reset: number;
};

/** Where a key stands in its current window, without counting an attempt (the console's per-client figures). */
export type RateLimitUsage = {
  /** Attempts counted in the current window (the in-memory backend also counts refused ones, Redis does not). */
  used: number;
  limit: number;
  remaining: number;
  /** When the current window ends (epoch ms). */
  reset: number;
  /** The last attempt counted for the key (epoch ms), or null when the backend has none on record. */
  lastAt: number | null;
};

/** What every backend (Upstash, self-hosted Redis, in-memory) offers. `key` already names the policy. */
export interface RateLimiter {
  readonly backend: "upstash" | "redis" | "memory";
  /** Counts one attempt for `key` and says whether it is within the policy. */
  limit(key: string, policy: RateLimitPolicy): Promise<RateLimitResult>;
  /** Reads the key's current window without counting an attempt. */
  peek(key: string, policy: RateLimitPolicy): Promise<RateLimitUsage>;
  /** Forgets the attempts counted for `key` (tests, support staff lifting a block). */
  reset(key: string, policy: RateLimitPolicy): Promise<void>;
}
