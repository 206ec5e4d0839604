import { readFileSync } from "node:fs";
import path from "node:path";
import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import type { DbOrTx } from "@/server/db/client";
import { trollStats, userStats } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { boardRows, boardsFromSource } from "./board-reference.test-helper";
import { createTestUser } from "@/test/factories";
import { generateBenchData } from "../../../../bench/leaderboard-refresh-data";
import { refreshBoardsFromRollup } from "./boards-from-rollup";
import { rebuildAllBoards, rebuildBoards, repairAllBoards } from "./rebuild-boards";
import { lockRollup, refreshRollup } from "./rollup";
import { TIME_FRAMES } from "./time-frames";

const t = setupTestDatabase();
const onPostgres = Boolean(process.env.DATABASE_URL);
const HOUR = 3_600_000;

const boards = () => boardRows(t.db);
const fromSource = (now: Date) => boardsFromSource(t.db, now);

async function ensureData() {
  const [users] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from users`);
  if (users!.n === 0) {
    await generateBenchData(t.db, { users: 200, messages: 1_600 });
    await repairAllBoards(t.db, new Date());
  }
}

/** A user with rows on both boards. */
async function activeUser(): Promise<string> {
  const [row] = await t.db.execute<{ user_id: string }>(sql`
    select user_id from user_stats where user_id in (select user_id from troll_stats) order by user_id limit 1`);
  return row!.user_id;
}

/** `db` with every statement shown to `before` first (in nested transactions too), so a test can `explain` it. */
function watched<T extends DbOrTx>(db: T, before: (query: SQL, db: DbOrTx) => Promise<void>): T {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === "execute") {
        return async (query: SQL) => {
          await before(query, target);
          return target.execute(query);
        };
      }
      if (property === "transaction") {
        return (work: (tx: DbOrTx) => Promise<unknown>) => target.transaction((tx) => work(watched(tx, before)));
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Parallel Aware"?: boolean; Plans?: PlanNode[] };
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

describe("boards from the rollup, every user at once", () => {
  it.runIf(onPostgres)("reads the rollup and both boards in one statement PostgreSQL can run in parallel", async () => {
    await ensureData();
    const dialect = new PgDialect();
    const parallelReads: string[][] = [];
    await t.db.transaction(async (tx) => {
      // Parallel plans for any size: the test's tables are far below the sizes where the planner would choose one.
      await tx.execute(sql`select set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true),
        set_config('min_parallel_table_scan_size', '0', true), set_config('max_parallel_workers_per_gather', '2', true)`);
      const spy = watched(tx, async (query, on) => {
        if (!/^\s*(with|select|create)/i.test(dialect.sqlToQuery(query).sql)) return;
        const [row] = await on.execute<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(sql`explain (format json) ${query}`);
        const plan = row!["QUERY PLAN"][0].Plan;
        const gathered = nodes(plan).filter((node) => node["Node Type"] === "Gather").flatMap((gather) => nodes(gather));
        parallelReads.push(gathered.filter((node) => node["Parallel Aware"] && node["Relation Name"]).map((node) => node["Relation Name"]!).sort());
      });
      await refreshBoardsFromRollup(spy, TIME_FRAMES, new Date(), null);
    });
    expect(parallelReads).toContainEqual(["leaderboard_rollup", "troll_stats", "user_stats"]);
  });

  it("removes every row of a user whose contributions were all withdrawn, at the next rebuild (not only at a flush)", async () => {
    await ensureData();
    const now = new Date();
    await rebuildAllBoards(t.db, now);
    const user = await activeUser();
    await t.db.execute(sql`update messages set deleted = true where user_id = ${user}`);
    await t.db.execute(sql`delete from message_reactions where user_id = ${user}`);
    await t.db.execute(sql`update tasks set done = false where user_id = ${user}`);
    await rebuildAllBoards(t.db, now);
    const rebuilt = await boards();
    expect(Object.keys(rebuilt.users).filter((key) => key.startsWith(user))).toEqual([]);
    expect(Object.keys(rebuilt.trolls).filter((key) => key.startsWith(user))).toEqual([]);
    expect(rebuilt).toEqual(await fromSource(now));
  });

  it("removes the board rows of a user without contributions at a repair, however the rows got there", async () => {
    await ensureData();
    const now = new Date();
    const stranger = await createTestUser(t.db);
    // Rows written behind the rollup's back (an import, a hand edit): the repair is what puts them right.
    await t.db.insert(userStats).values({ userId: stranger.id, timeFrame: "total", leaderScore: 7, prompts: 70 });
    await t.db.insert(trollStats).values({ userId: stranger.id, timeFrame: "week", trollScore: 3, redFlags: 1 });
    await repairAllBoards(t.db, now);
    const repaired = await boards();
    expect(Object.keys(repaired.users).filter((key) => key.startsWith(stranger.id))).toEqual([]);
    expect(Object.keys(repaired.trolls).filter((key) => key.startsWith(stranger.id))).toEqual([]);
  });

  it("picks every frame of any set of frames, whichever instant (the frames' starts in any order)", { timeout: 120_000 }, async () => {
    await ensureData();
    const now = new Date();
    await rebuildAllBoards(t.db, now);
    // Each later instant moves the windows; rebuilding the frames in sets of every shape must give the reference.
    for (const at of [new Date(now.getTime() + 5 * HOUR), new Date(now.getTime() + 30 * HOUR), new Date(now.getTime() + 8 * 24 * HOUR)]) {
      for (const frames of [["week", "month"], ["day"], ["total"]] as const) await rebuildBoards(t.db, frames, at);
      const rebuilt = await boards();
      expect(rebuilt).toEqual(await fromSource(at));
      await rebuildBoards(t.db, ["total", "day", "month", "week"], at);
      expect(await boards()).toEqual(rebuilt);
    }
  });

  it("adds the end rows to a rollup written without them (migration leaderboard_rollup_end_rows)", async () => {
    await ensureData();
    const user = await activeUser();
    await t.db.transaction(async (tx) => {
      await lockRollup(tx);
      await refreshRollup(tx, null, new Date());
    });
    const rows = sql`select user_id, bucket::text as bucket, older_bucket::text as older_bucket, lb_n, troll_n from leaderboard_rollup order by 1, 2`;
    const written = await t.db.execute(rows);
    const ends = written.filter((row) => row.bucket === "infinity");
    expect(ends.length).toBeGreaterThan(100);
    // The rollup as the previous version wrote it: no end rows; and a user with board rows but no rollup rows at all.
    await t.db.execute(sql`delete from leaderboard_rollup where bucket = 'infinity' or user_id = ${user}`);
    const migration = readFileSync(path.join(process.cwd(), "drizzle/0030_leaderboard_rollup_end_rows.sql"), "utf8");
    await t.db.execute(sql.raw(migration));
    const migrated = await t.db.execute(rows);
    expect(migrated.filter((row) => row.user_id !== user)).toEqual(written.filter((row) => row.user_id !== user));
    expect(migrated.filter((row) => row.user_id === user)).toEqual([{ user_id: user, bucket: "infinity", older_bucket: null, lb_n: null, troll_n: null }]);
  });
});
