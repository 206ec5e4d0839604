import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { users, userStats } from "@/server/db/schema";
import { type MyStats, toCounters } from "./dto";
import { LEVEL_THRESHOLDS, levelForScore, pointsToNextLevel } from "./score";
import { TIME_FRAMES } from "./time-frames";

/**
 * A user's counters, score and rank per time frame, plus the level and XP bar from the all-time score (website
 * `useUserScore`, spec website §5.7). Frames not computed yet are simply absent (fix §8.9: OA answered 500).
 */
export async function getMyStats(db: DbOrTx, userId: string): Promise<MyStats> {
  const [rows, [user]] = await Promise.all([
    db.select().from(userStats).where(eq(userStats.userId, userId)),
    db.select({ streakDays: users.streakDays }).from(users).where(eq(users.id, userId)),
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
    timeFrames: TIME_FRAMES.flatMap((timeFrame) => {
      const row = byFrame.get(timeFrame);
      return row ? [{ ...toCounters(row), timeFrame, rank: row.rank, lastUpdated: row.modifiedDate }] : [];
    }),
  };
}
