import { advanceBoards } from "@/server/domain/leaderboard/rebuild-boards";
import { TIME_FRAMES, type TimeFrame } from "@/server/domain/leaderboard/time-frames";
import { type CronJob, STATS_CONCURRENCY } from "../job";

/**
 * How often each leaderboard's window is moved on (OA `backend/main.py` USER_STATS_INTERVAL_*: 5, 15, 60 and 240 min),
 * offset so they do not start together. Like OA they also run once at start-up, so a fresh install has boards.
 */
export const LEADERBOARD_SCHEDULES: Record<TimeFrame, string> = {
  day: "*/5 * * * *",
  week: "2-59/15 * * * *",
  month: "7 * * * *",
  total: "11 */4 * * *",
};

function refreshLeaderboardJob(timeFrame: TimeFrame): CronJob {
  return {
    id: `refresh-leaderboard-${timeFrame}`,
    name: `Refresh the ${timeFrame} leaderboard`,
    trigger: { cron: LEADERBOARD_SCHEDULES[timeFrame], runOnStart: true },
    retries: 2,
    concurrency: STATS_CONCURRENCY,
    run: ({ step, deps }) =>
      step.run("refresh-user-stats", async () => {
        // The frame's window moved: recompute the users whose contributions left it, from the leaderboard rollup,
        // under the job's lock (rebuild-boards.ts). The first run builds the frame in full.
        const run = await advanceBoards(deps.db(), [timeFrame], new Date(), { leaderboards: true, trollboards: false });
        const [frame] = run.leaderboards ?? [];
        return frame
          ? { timeFrame, recomputed: frame.recomputed, rows: frame.rows }
          : { timeFrame, skipped: `another run of leaderboard:${timeFrame} is in progress` };
      }),
  };
}

/** One cron function per time frame (day, week, month, total). */
export const refreshLeaderboardJobs: CronJob[] = TIME_FRAMES.map(refreshLeaderboardJob);
