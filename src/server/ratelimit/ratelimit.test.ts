import { Redis as UpstashRedis } from "@upstash/redis";
import { Redis as IORedis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { assertRateLimit, setRateLimiter } from ".";
import { upstashRedisOverIORedis } from "./ioredis-adapter";
import type { RateLimiter } from "./limiter";
import { MemoryRateLimiter } from "./memory-limiter";
import { RATE_LIMIT_POLICIES, type RateLimitPolicy, taskRequestPolicy, windowMs } from "./policies";
import { RedisRateLimiter } from "./redis-limiter";
import { startUpstashRestEmulator } from "./upstash-rest-emulator.test-helper";

const policy: RateLimitPolicy = { attempts: 3, window: "10 s" };

/**
 * The limiters count in fixed windows aligned to the clock: attempts that straddle a window's end start counting
 * afresh. A test that needs all its attempts in one window waits until the current one has at least `needMs` left.
 */
async function withinOneWindow(window: RateLimitPolicy["window"], needMs = 5_000) {
  const left = windowMs(window) - (Date.now() % windowMs(window));
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** The same contract for every backend: N attempts pass, the next is refused until the window ends. */
function describeContract(name: string, make: () => RateLimiter) {
  describe(`${name} limiter`, () => {
    it("allows the policy's attempts, then refuses with the window's end as the retry time", async () => {
      const limiter = make();
      await withinOneWindow(policy.window);
      const key = `contract:${crypto.randomUUID()}`;
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await limiter.limit(key, policy));
      expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
      expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
      const reset = results[3]!.reset;
      expect(reset % windowMs(policy.window)).toBe(0);
      expect(reset).toBeGreaterThan(Date.now());
      expect(reset - Date.now()).toBeLessThanOrEqual(10_000);
    });

    it("counts identifiers separately and forgets a key on reset", async () => {
      const limiter = make();
      const [a, b] = [`contract:${crypto.randomUUID()}`, `contract:${crypto.randomUUID()}`];
      await withinOneWindow(policy.window);
      for (let i = 0; i < 3; i++) await limiter.limit(a, policy);
      expect((await limiter.limit(a, policy)).success).toBe(false);
      expect((await limiter.limit(b, policy)).success).toBe(true);
      await limiter.reset(a, policy);
      expect((await limiter.limit(a, policy)).success).toBe(true);
    });

    it("peeks at a key's window (used, remaining, window end, last attempt) without counting", async () => {
      const limiter = make();
      const key = `contract:${crypto.randomUUID()}`;
      await withinOneWindow(policy.window);
      const fresh = await limiter.peek(key, policy);
      expect(fresh).toMatchObject({ used: 0, limit: 3, remaining: 3, lastAt: null });
      expect(fresh.reset % windowMs(policy.window)).toBe(0);
      const before = Date.now();
      await limiter.limit(key, policy);
      await limiter.limit(key, policy);
      for (let i = 0; i < 3; i++) expect(await limiter.peek(key, policy)).toMatchObject({ used: 2, limit: 3, remaining: 1 });
      const usage = await limiter.peek(key, policy);
      expect(usage.lastAt).toBeGreaterThanOrEqual(before - 5);
      expect(usage.lastAt).toBeLessThanOrEqual(Date.now());
      // Peeking did not use the last attempt up.
      expect((await limiter.limit(key, policy)).success).toBe(true);
      expect((await limiter.limit(key, policy)).success).toBe(false);
      const full = await limiter.peek(key, policy);
      expect(full.remaining).toBe(0);
      expect(full.used).toBeGreaterThanOrEqual(3);
    });
  });
}

describeContract("in-memory", () => new MemoryRateLimiter());

describe("in-memory limiter windows", () => {
  it("gives the full quota back when the window ends", async () => {
    let now = 1_000_000_000_000;
    const limiter = new MemoryRateLimiter(() => now);
    for (let i = 0; i < 3; i++) await limiter.limit("k", policy);
    const refused = await limiter.limit("k", policy);
    expect(refused.success).toBe(false);
    now = refused.reset;
    expect(await limiter.limit("k", policy)).toMatchObject({ success: true, remaining: 2 });
  });
});

// The real Redis on this machine (REDIS_URL, else 127.0.0.1:6379), under a key prefix of its own, removed after.
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `oa-test:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
const redis = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
const redisUp = await redis.connect().then(() => true, () => false);

describe.runIf(redisUp)("Redis backends", () => {
  let emulator: Awaited<ReturnType<typeof startUpstashRestEmulator>>;
  beforeAll(async () => {
    emulator = await startUpstashRestEmulator(redis, "test-token");
  });
  afterAll(async () => {
    await emulator.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  describeContract("self-hosted Redis (ioredis adapter)", () => new RedisRateLimiter(upstashRedisOverIORedis(redis), "redis", `${prefix}:io`));
  describeContract("Upstash REST", () => {
    const upstash = new UpstashRedis({ url: emulator.url, token: "test-token", enableTelemetry: false });
    return new RedisRateLimiter(upstash, "upstash", `${prefix}:up`);
  });

  it("shares one count between processes (two limiters on the same Redis)", async () => {
    const one = new RedisRateLimiter(upstashRedisOverIORedis(redis), "redis", `${prefix}:shared`);
    const two = new RedisRateLimiter(upstashRedisOverIORedis(redis), "redis", `${prefix}:shared`);
    const key = `k:${crypto.randomUUID()}`;
    await one.limit(key, policy);
    await two.limit(key, policy);
    await one.limit(key, policy);
    expect((await two.limit(key, policy)).success).toBe(false);
    expect(await redis.keys(`${prefix}:shared:*`)).not.toHaveLength(0);
  });
});

describe("assertRateLimit", () => {
  afterEach(() => setRateLimiter(undefined));

  it("throws a typed TOO_MANY_REQUESTS error with the retry time", async () => {
    setRateLimiter(new MemoryRateLimiter());
    const identifier = `someone-${crypto.randomUUID()}@example.test`;
    for (let i = 0; i < RATE_LIMIT_POLICIES.signInEmail.attempts; i++) await assertRateLimit({ policy: "signInEmail", identifier });
    const error = await assertRateLimit({ policy: "signInEmail", identifier }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "TOO_MANY_REQUESTS", trpcCode: "TOO_MANY_REQUESTS", oaCode: 429 });
    const details = (error as AppError).details as { retryAfterSeconds: number; policy: string };
    expect(details.policy).toBe("signInEmail");
    expect(details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(details.retryAfterSeconds).toBeLessThanOrEqual(600);
    expect((error as Error).message).toMatch(new RegExp(`try again in ${details.retryAfterSeconds} seconds`));
  });
});

describe("policy table", () => {
  it("keeps OA's task limits and gives assistant and prompter replies their own", () => {
    expect(RATE_LIMIT_POLICIES.taskRequest).toEqual({ attempts: 30, window: "4 m" });
    expect(taskRequestPolicy("assistant_reply")).toBe("assistantReplyTask");
    expect(taskRequestPolicy("prompter_reply")).toBe("prompterReplyTask");
    expect(taskRequestPolicy("random")).toBe("taskRequest");
    expect(windowMs(RATE_LIMIT_POLICIES.chatReply.window)).toBe(600_000);
  });
});
