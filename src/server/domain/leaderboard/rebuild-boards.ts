import type { Database } from "@/server/db/client";
import { withJobLock } from "@/server/inngest/job-lock";
import { type BoardChoice, type BoardsResult, refreshMarkedRollup, lockRollup, refreshBoardsFromRollup, repairRollup } from "./rollup";
import { TIME_FRAMES, type TimeFrame } from "./time-frames";

export type RebuildResult = BoardsResult;

/** The job locks of the chosen boards and frames (the cron jobs' names), so a rebuild and a job never interleave. */
const jobLocks = (timeFrames: readonly TimeFrame[], boards: BoardChoice) => [
  ...(boards.leaderboards ? timeFrames.map((frame) => `leaderboard:${frame}`) : []),
  ...(boards.trollboards ? timeFrames.map((frame) => `troll-stats:${frame}`) : []),
];

/**
 * Rebuilds the given frames of the chosen boards for every user from the leaderboard rollup (rollup.ts) in one
 * statement: rollup rows summed into the frames, ranked, and written where changed. It re-bases the day, week and
 * month windows; contributions reach the boards through the dirty-user flush without it. Runs under the jobs' locks
 * (skipped, with null results, when another run holds one) and the exclusive rollup lock (flushes leave their marks
 * meanwhile); the rollup rows of users with pending marks are rewritten first (`refreshMarkedRollup`), so the rebuild
 * reads a current rollup.
 */
export async function rebuildBoards(
  db: Database,
  timeFrames: readonly TimeFrame[] = TIME_FRAMES,
  now: Date = new Date(),
  boards: BoardChoice = { leaderboards: true, trollboards: true },
): Promise<RebuildResult> {
  const run = await withJobLock(db, jobLocks(timeFrames, boards), async (tx) => {
    await lockRollup(tx);
    await refreshMarkedRollup(tx, now);
    return refreshBoardsFromRollup(tx, timeFrames, now, null, boards);
  });
  return run.ran ? run.result : { leaderboards: null, trollboards: null };
}

/** Every leaderboard and trollboard, all four frames, from the rollup (`rebuildBoards`): the ≤ 2 s rebuild. */
export async function rebuildAllBoards(db: Database, now: Date = new Date()): Promise<RebuildResult> {
  return rebuildBoards(db, TIME_FRAMES, now);
}

/**
 * The repair from the contributions: the whole rollup rewritten from the source tables, then every board from it
 * (`repairRollup`), under every board job's lock. Slow (a pass over every contribution); for the seed, the benchmark
 * and operators, after data was written behind the triggers' back or to check the rollup.
 */
export async function repairAllBoards(db: Database, now: Date = new Date()): Promise<RebuildResult & { rollupRows: number }> {
  const run = await withJobLock(db, jobLocks(TIME_FRAMES, { leaderboards: true, trollboards: true }), (tx) => repairRollup(tx, now));
  return run.ran ? { ...run.result.boards, rollupRows: run.result.rollupRows } : { leaderboards: null, trollboards: null, rollupRows: 0 };
}
