import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { trollStats, userStats } from "@/server/db/schema";
import { flushDirtyUsers } from "@/server/domain/leaderboard/flush-dirty-users";
import { rebuildAllBoards } from "@/server/domain/leaderboard/rebuild-boards";
import { refreshTrollStats } from "@/server/domain/leaderboard/refresh-troll-stats";
import { refreshUserStats } from "@/server/domain/leaderboard/refresh-user-stats";
import { TIME_FRAMES } from "@/server/domain/leaderboard/time-frames";
import { setupTestDatabase } from "@/test/database";
import { generateBenchData } from "./leaderboard-refresh-data";

const t = setupTestDatabase();

type Row = { userId: string; timeFrame: string; modifiedDate: Date; baseDate: Date | null };

/** Rows keyed by user and frame, without the write time and frame start. */
function snapshot<T extends Row>(rows: T[]) {
  return Object.fromEntries(rows.map(({ modifiedDate: _modified, baseDate: _base, ...rest }) => [`${rest.userId}:${rest.timeFrame}`, rest]));
}

/**
 * The three ways the boards are computed must agree on the benchmark's generated data (every frame populated,
 * consensus ranks, labels, votes, hidden and disabled users): the incremental path (dirty users folded in by
 * `flushDirtyUsers`), the one-pass rebuild of every frame of both boards (`rebuildAllBoards`), and the from-source
 * one-frame refreshes.
 */
describe("leaderboard rebuild on generated data", () => {
  it("gives the incremental path's figures, and the one-frame refreshes' rows", { timeout: 180_000 }, async () => {
    const now = new Date();
    const roots = 240;
    await generateBenchData(t.db, { users: 300, messages: roots * 9 });

    // Incremental: every user marked, as the triggers mark contributors, then folded in.
    await t.db.execute(sql`insert into leaderboard_dirty_users (user_id) select id from users`);
    while ((await flushDirtyUsers(t.db, now)) > 0);
    const incremental = snapshot(await t.db.select().from(userStats));
    const incrementalTrolls = snapshot(await t.db.select().from(trollStats));
    for (const timeFrame of TIME_FRAMES) {
      expect(Object.keys(incremental).filter((key) => key.endsWith(`:${timeFrame}`)).length).toBeGreaterThan(100);
    }

    const result = await rebuildAllBoards(t.db, now);
    expect(result.leaderboards?.map((frame) => frame.timeFrame)).toEqual([...TIME_FRAMES]);
    expect(result.trollboards?.map((frame) => frame.rows)).toEqual(TIME_FRAMES.map((frame) => Object.keys(incrementalTrolls).filter((key) => key.endsWith(`:${frame}`)).length));
    const rebuilt = await t.db.select().from(userStats);
    const rebuiltTrolls = await t.db.select().from(trollStats);
    expect(snapshot(rebuilt)).toEqual(incremental);
    expect(snapshot(rebuiltTrolls)).toEqual(incrementalTrolls);

    // The from-source refreshes, one frame at a time: same rows.
    await t.db.execute(sql`delete from user_stats`);
    await t.db.execute(sql`delete from troll_stats`);
    for (const timeFrame of TIME_FRAMES) {
      await refreshUserStats(t.db, timeFrame, now);
      await refreshTrollStats(t.db, timeFrame, now);
    }
    expect(snapshot(await t.db.select().from(userStats))).toEqual(snapshot(rebuilt));
    expect(snapshot(await t.db.select().from(trollStats))).toEqual(snapshot(rebuiltTrolls));

    // A repair run over current boards rewrites nothing: every row keeps its write time.
    const before = Object.fromEntries((await t.db.select().from(userStats)).map((row) => [`${row.userId}:${row.timeFrame}`, row.modifiedDate.getTime()]));
    await rebuildAllBoards(t.db, now);
    const after = Object.fromEntries((await t.db.select().from(userStats)).map((row) => [`${row.userId}:${row.timeFrame}`, row.modifiedDate.getTime()]));
    expect(after).toEqual(before);
  });
});
