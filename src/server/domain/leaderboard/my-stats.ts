import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { users, userStats } from "@/server/db/schema";
import { type MyStats, toCounters } from "./dto";
import { flushDirtyUsers } from "./flush-dirty-users";
import { ranksOf } from "./read-leaderboard";
import { LEVEL_THRESHOLDS, levelForScore, pointsToNextLevel } from "./score";
import { TIME_FRAMES } from "./time-frames";

/**
 * A user's counters, score and rank per time frame, plus the level and XP bar from the all-time score (website
 * `useUserScore`, spec website §5.7). Pending contributions are folded in first, so these are the figures every
 * board shows now; frames without activity are absent (fix §8.9: OA answered 500).
 */
export async function getMyStats(db: DbOrTx, userId: string): Promise<MyStats> {
  await flushDirtyUsers(db);
  const [rows, [user], ranks] = await Promise.all([
    db.select().from(userStats).where(eq(userStats.userId, userId)),
    db.select({ streakDays: users.streakDays }).from(users).where(eq(users.id, userId)),
    ranksOf(db, userId),
  ]);
  const byFrame = new Map(rows.map((row) => [row.timeFrame, row]));
  const totalScore = byFrame.get("total")?.leaderScore ?? 0;
  const level = levelForScore(totalScore);
  return {
    level,
    totalScore,
    pointsToNextLevel: pointsToNextLevel(totalScore),
    levelStartsAt: LEVEL_THRESHOLDS[level - 1] ?? 0,
    nextLevelAt: LEVEL_THRESHOLDS[level] ?? null,
    streakDays: user?.streakDays ?? null,
    timeFrames: TIME_FRAMES.flatMap((timeFrame, index) => {
      const row = byFrame.get(timeFrame);
      return row ? [{ ...toCounters(row), timeFrame, rank: ranks[index] ?? null, lastUpdated: row.modifiedDate }] : [];
    }),
  };
}

/** The all-time score and level alone (the user menu on every page): no ranks to count. */
export async function getMyLevel(db: DbOrTx, userId: string): Promise<{ level: number; totalScore: number }> {
  await flushDirtyUsers(db);
  const [row] = await db
    .select({ score: userStats.leaderScore })
    .from(userStats)
    .where(and(eq(userStats.userId, userId), eq(userStats.timeFrame, "total")));
  const totalScore = row?.score ?? 0;
  return { level: levelForScore(totalScore), totalScore };
}
