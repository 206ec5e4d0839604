import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setRateLimiter } from "@/server/ratelimit";
import type { RateLimiter } from "@/server/ratelimit/limiter";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { rebuildDerivedState } from "./derived-state";
import { generateScaleData } from "./seed-scale-data";
import { costTable, type CountingConnection, countingConnection, measureRoundTrips } from "./task-statements";

/**
 * The statement counts of the task round trip (bench/task-statements.results.md), on a small campaign-shaped
 * database. Printed for the results file; run with `npx vitest run bench/task-statements.test.ts`.
 */
const t = setupTestDatabase();
const unlimited: RateLimiter = {
  backend: "memory",
  limit: async (_key, policy) => ({ success: true, limit: policy.attempts, remaining: policy.attempts, reset: Date.now() + 60_000 }),
  reset: async () => {},
};
beforeEach(() => setRateLimiter(unlimited));
afterEach(() => setRateLimiter(undefined));

let conn: CountingConnection;
beforeAll(async () => {
  await generateScaleData(t.db, { users: 300, messages: 3_000, activePerLang: 3 });
  await rebuildDerivedState(t.db);
  conn = countingConnection(t.url);
}, 120_000);
afterAll(async () => conn?.close());

describe("statements per task round trip", () => {
  it("counts every call of the round trip", { timeout: 60_000 }, async () => {
    const costs = await measureRoundTrips(conn, testTreeDeps({ maxActiveTrees: 100, rankPrompterReplies: true }, 7), "en");
    console.log(`\n${costTable(costs)}\n`);
    expect(Object.keys(costs).length).toBe(1 + 9 * 3);
  });
});
