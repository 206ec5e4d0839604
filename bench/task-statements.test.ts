import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutRateLimits } from "@/test/rate-limits";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { rebuildDerivedState } from "./derived-state";
import { generateScaleData } from "./seed-scale-data";
import { costTable, type CountingConnection, countingConnection, measureRoundTrips } from "./task-statements";

/**
 * The statement counts of the task round trip (bench/task-statements.results.md), on a small campaign-shaped
 * database. Printed for the results file; run with `npx vitest run bench/task-statements.test.ts`. Each call must
 * stay within its budget: a change that adds a round trip to the hand-out or a submit fails here, deterministically
 * (counts, not timings), and has to say so by raising the budget.
 */
const t = setupTestDatabase();
withoutRateLimits();

let conn: CountingConnection;
beforeAll(async () => {
  await generateScaleData(t.db, { users: 300, messages: 3_000, activePerLang: 3 });
  await rebuildDerivedState(t.db);
  conn = countingConnection(t.url);
}, 120_000);
afterAll(async () => conn?.close());

/** Statements per call (begin and commit included), by the call's name in `measureRoundTrips`. */
function budgetOf(call: string): number {
  if (call === "health.session") return 1;
  if (call === "gold presence (cached)") return 0;
  // The hand-out is one statement (`oa_request_task`) after the user row; the ack one guarded update.
  if (call.includes("tasks.request")) return 2;
  if (call.endsWith("tasks.ack")) return 2;
  // Begin, `oa_lock_task`, the answer's checks and insert, `finishTask`, the tree's decision, commit.
  if (call.endsWith("tasks.submitReply")) return 7;
  if (call.endsWith("tasks.submitLabels")) return 7;
  if (call.endsWith("tasks.submitRanking")) return 6;
  throw new Error(`no budget for ${call}`);
}

describe("statements per task round trip", () => {
  it("stays within the budget of every call of the round trip", async () => {
    const costs = await measureRoundTrips(conn, testTreeDeps({ maxActiveTrees: 100, rankPrompterReplies: true }, 7), "en");
    console.log(`\n${costTable(costs)}\n`);
    expect(Object.keys(costs).length).toBe(2 + 9 * 3);
    const over = Object.entries(costs)
      .filter(([call, cost]) => cost.statements > budgetOf(call))
      .map(([call, cost]) => `${call}: ${cost.statements} > ${budgetOf(call)}`);
    expect(over).toEqual([]);
    // One transaction per submit; none for the request (one statement), the ack or the floor; no savepoints.
    for (const [call, cost] of Object.entries(costs)) {
      expect(cost.transactions, call).toBe(call.endsWith("tasks.ack") || call.includes("tasks.request") || call === "health.session" || call.startsWith("gold") ? 0 : 1);
      expect(cost.savepoints, call).toBe(0);
    }
  });
});
