import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { leaderboardFrameCounts, userStats, users } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import { generateBenchData } from "../../../../bench/leaderboard-refresh-data";
import { flushDirtyUsers } from "./flush-dirty-users";
import { advanceBoards, rebuildAllBoards, repairAllBoards } from "./rebuild-boards";
import { TIME_FRAMES } from "./time-frames";

const t = setupTestDatabase();

/** The kept counts and the rows they count, per frame. */
async function countsAndRows() {
  const kept = Object.fromEntries((await t.db.select().from(leaderboardFrameCounts)).map((row) => [row.timeFrame, row.rows]));
  const actual = Object.fromEntries(TIME_FRAMES.map((frame) => [frame, 0]));
  for (const row of await t.db.execute<{ time_frame: string; n: number }>(sql`select time_frame, count(*)::int as n from user_stats group by 1`)) {
    actual[row.time_frame] = row.n;
  }
  return { kept, actual };
}

/**
 * `leaderboard_frame_counts` (migration `leaderboard_frame_counts`) answers a leaderboard read's "how many ranked
 * users" without counting the frame: it must equal the rows whatever writes them — rebuilds, repairs, advances,
 * flushes, upserts, a user's deletion cascading to their rows, plain deletes and truncation.
 */
describe("leaderboard frame counts", () => {
  it("equal the rows of each frame after every kind of write", { timeout: 120_000 }, async () => {
    const now = new Date();
    expect((await countsAndRows()).kept).toEqual({ day: 0, week: 0, month: 0, total: 0 });
    await generateBenchData(t.db, { users: 120, messages: 60 * 9 });
    const check = async (step: string) => {
      const { kept, actual } = await countsAndRows();
      expect(kept, step).toEqual(actual);
    };
    await repairAllBoards(t.db, now);
    await check("after a repair");
    expect((await countsAndRows()).actual.total).toBeGreaterThan(100);
    await t.db.execute(sql`delete from user_stats where time_frame in ('day', 'month') and user_id in (select id from users order by id limit 30)`);
    await check("after a plain delete");
    await rebuildAllBoards(t.db, now);
    await check("after a rebuild (rows inserted and upserted)");
    await advanceBoards(t.db, TIME_FRAMES, new Date(now.getTime() + 26 * 3_600_000));
    await check("after an advance past a day (rows dropped)");
    const leaving = await createTestUser(t.db);
    await t.db.insert(userStats).values([{ userId: leaving.id, timeFrame: "day" }, { userId: leaving.id, timeFrame: "total" }]);
    await check("after a plain insert");
    await t.db.delete(users).where(eq(users.id, leaving.id));
    await check("after a user's deletion cascaded to their rows");
    const newcomer = await createTestUser(t.db);
    await t.db.execute(sql`insert into messages (id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth)
      values (gen_random_uuid(), gen_random_uuid(), ${newcomer.id}, 'prompter', gen_random_uuid()::text, 'first prompt', 'en', 0)`);
    while ((await flushDirtyUsers(t.db)) > 0);
    await check("after a flush of a newcomer's first contribution");
    await t.db.execute(sql`truncate user_stats`);
    await check("after a truncate");
    await t.db.insert(userStats).values({ userId: newcomer.id, timeFrame: "week", leaderScore: 3 });
    await check("after an insert into an emptied table");
  });

  it("never deadlock two writers that change several frames in several statements", async () => {
    const [a, b] = [await createTestUser(t.db), await createTestUser(t.db)];
    // Each transaction writes frames in the opposite order, one statement per frame: they must queue, not deadlock.
    const write = (userId: string, frames: readonly ("day" | "week" | "month" | "total")[]) =>
      t.db.transaction(async (tx) => {
        for (const frame of frames) {
          await tx.insert(userStats).values({ userId, timeFrame: frame, leaderScore: 1 });
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
    await Promise.all([write(a.id, ["day", "week", "month", "total"]), write(b.id, ["total", "month", "week", "day"])]);
    const { kept, actual } = await countsAndRows();
    expect(kept).toEqual(actual);
  });
});
