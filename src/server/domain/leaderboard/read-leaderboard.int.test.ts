import { describe, expect, it } from "vitest";
import { userStats } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import { getLeaderboard, rankOf } from "./read-leaderboard";

const t = setupTestDatabase();

/** The board as its definition says, computed by sorting every row: visible users by (score desc, user id). */
function referenceBoard(rows: { userId: string; score: number; visible: boolean }[]) {
  return rows
    .filter((row) => row.visible)
    .sort((a, b) => b.score - a.score || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
    .map((row, index) => ({ userId: row.userId, rank: index + 1 }));
}

describe("leaderboard reads from the board's index (issue 15: ranks and windows without reading every row)", () => {
  it("gives every viewer the rank, window and total that sorting the whole board gives, with ties and unranked users", async () => {
    // 36 users, scores with many ties, and every way of being left off the board.
    const hidden = [{ showOnLeaderboard: false }, { enabled: false }, { role: "banned" as const }, { deleted: true }];
    const rows: { userId: string; score: number; visible: boolean }[] = [];
    for (let i = 0; i < 36; i++) {
      const unranked = i % 7 === 3 ? hidden[(i / 7) % hidden.length | 0] : undefined;
      const user = await createTestUser(t.db, unranked ?? {});
      const score = [0, 5, 5, 10, 10, 10, 40][i % 7]! + (i % 11 === 0 ? 100 : 0);
      rows.push({ userId: user.id, score, visible: !unranked });
      await t.db.insert(userStats).values({ userId: user.id, timeFrame: "day", leaderScore: score });
    }
    const board = referenceBoard(rows);
    for (const windowSize of [1, 3, 4, 7]) {
      for (const row of rows) {
        const result = await getLeaderboard(t.db, { timeFrame: "day", page: 2, pageSize: 5, viewerId: row.userId, windowSize });
        expect(result.totalRanked).toBe(board.length);
        expect(result.entries.map((entry) => [entry.userId, entry.rank])).toEqual(board.slice(5, 10).map((entry) => [entry.userId, entry.rank]));
        const mine = board.find((entry) => entry.userId === row.userId);
        if (!mine) {
          expect(result.viewer).toBeNull();
          expect(await rankOf(t.db, "day", row.userId)).toBeNull();
          continue;
        }
        const first = Math.max(1, mine.rank - Math.floor(windowSize / 2));
        const expected = board.slice(first - 1, first - 1 + windowSize);
        expect(result.viewer?.rank).toBe(mine.rank);
        expect(result.viewer?.window.map((entry) => [entry.userId, entry.rank]), `window ${windowSize} of rank ${mine.rank}`).toEqual(
          expected.map((entry) => [entry.userId, entry.rank]),
        );
      }
    }
  });
});
