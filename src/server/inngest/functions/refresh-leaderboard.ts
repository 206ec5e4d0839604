import { refreshUserStats } from "@/server/domain/leaderboard/refresh-user-stats";
import { TIME_FRAMES, type TimeFrame } from "@/server/domain/leaderboard/time-frames";
import { type CronJob, STATS_CONCURRENCY } from "../job";
import { withJobLock } from "../job-lock";

/**
 * How often each leaderboard is recomputed (OA `backend/main.py` USER_STATS_INTERVAL_*: 5, 15, 60 and 240 min),
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
        const run = await withJobLock(deps.db(), `leaderboard:${timeFrame}`, (tx) => refreshUserStats(tx, timeFrame));
        return run.ran ? { timeFrame, rows: run.result.rows } : { timeFrame, skipped: run.reason };
      }),
  };
}

/** One cron function per time frame (day, week, month, total). */
export const refreshLeaderboardJobs: CronJob[] = TIME_FRAMES.map(refreshLeaderboardJob);
