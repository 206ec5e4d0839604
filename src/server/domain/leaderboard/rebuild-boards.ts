import type { Database } from "@/server/db/client";
import { withJobLock } from "@/server/inngest/job-lock";
import { refreshTrollStatsFrames } from "./refresh-troll-stats";
import { type RefreshResult, refreshUserStatsFrames } from "./refresh-user-stats";
import { TIME_FRAMES } from "./time-frames";

export type RebuildResult = { leaderboards: RefreshResult[] | null; trollboards: RefreshResult[] | null };

/**
 * The repair tool: every leaderboard and trollboard rebuilt from the contributions (the dirty-user triggers keep
 * them current between runs). Two statements — all four frames of each board in one pass over the sources — run
 * side by side on two connections, each in its own transaction under the lock of the jobs that refresh that board,
 * so a scheduled refresh and a rebuild never interleave. A board whose lock is held is left out (null) rather than
 * waited for.
 */
export async function rebuildAllBoards(db: Database, now: Date = new Date()): Promise<RebuildResult> {
  const [leaderboards, trollboards] = await Promise.all([
    withJobLock(db, TIME_FRAMES.map((frame) => `leaderboard:${frame}`), (tx) => refreshUserStatsFrames(tx, TIME_FRAMES, now)),
    withJobLock(db, TIME_FRAMES.map((frame) => `troll-stats:${frame}`), (tx) => refreshTrollStatsFrames(tx, TIME_FRAMES, now)),
  ]);
  return {
    leaderboards: leaderboards.ran ? leaderboards.result : null,
    trollboards: trollboards.ran ? trollboards.result : null,
  };
}
