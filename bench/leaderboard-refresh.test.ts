import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { userStats } from "@/server/db/schema";
import { getLeaderboard } from "@/server/domain/leaderboard/read-leaderboard";
import { refreshTrollStats } from "@/server/domain/leaderboard/refresh-troll-stats";
import { refreshUserStats } from "@/server/domain/leaderboard/refresh-user-stats";
import { computeLeaderScore } from "@/server/domain/leaderboard/score";
import { setupTestDatabase } from "@/test/database";
import { generateBenchData } from "./leaderboard-refresh-data";

const t = setupTestDatabase();

/** The benchmark's generator at a small size, and the invariants its numbers must satisfy. */
describe("leaderboard benchmark data", () => {
  it("generates the documented shape and refreshes into consistent boards", { timeout: 120_000 }, async () => {
    const roots = 300;
    const counts = await generateBenchData(t.db, { users: 400, messages: roots * 9 });
    expect(counts).toEqual({ users: 400, messages: roots * 9, trees: roots, labelTasks: roots * 9, rankings: 4 * (roots / 3), textLabels: roots * 9 });

    expect(await refreshUserStats(t.db, "total")).toMatchObject({ rows: 400 });
    await refreshTrollStats(t.db, "total");
    const rows = await t.db.select().from(userStats).where(sql`${userStats.timeFrame} = 'total'`);
    const sum = (key: keyof (typeof rows)[number]) => rows.reduce((total, row) => total + Number(row[key]), 0);
    expect(sum("prompts")).toBe(roots);
    expect(sum("repliesAssistant")).toBe(4 * roots);
    expect(sum("repliesPrompter")).toBe(4 * roots);
    expect(sum("labelsSimple") + sum("labelsFull")).toBe(9 * roots);
    expect(sum("rankingsTotal")).toBe(4 * (roots / 3));
    // Every scored tree has one consensus winner, runner-up and third.
    expect([sum("replyRanked1"), sum("replyRanked2"), sum("replyRanked3")]).toEqual([roots / 3, roots / 3, roots / 3]);
    for (const row of rows) expect(row.leaderScore).toBe(computeLeaderScore(row));
    // Users 0, 50, 100… are hidden and 0, 200… disabled (the generator's rule): they have no rank.
    const board = await getLeaderboard(t.db, { timeFrame: "total", page: 1, pageSize: 400, viewerId: null, windowSize: 0 });
    expect(board.totalRanked).toBe(400 - 8);
    expect(board.entries.map((entry) => entry.rank)).toEqual(Array.from({ length: 400 - 8 }, (_, i) => i + 1));

    // Every generated id passes the app's own input validation (zod's RFC 9562 check), so the bench data can be
    // driven through tRPC and REST; md5(…)::uuid ids failed it (random version and variant nibbles).
    const ids = await t.db.execute<{ id: string }>(sql`
      select id::text from users union all select id::text from messages union all select message_tree_id::text from message_tree_states
      union all select id::text from tasks union all select task_id::text from message_reactions`);
    expect(ids.length).toBe(400 + roots * 9 + roots + roots * 9 + 2 * 4 * (roots / 3));
    const invalid = ids.filter(({ id }) => !z.uuid().safeParse(id).success);
    expect(invalid).toEqual([]);
  });
});
