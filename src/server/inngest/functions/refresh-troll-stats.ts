import { advanceBoards } from "@/server/domain/leaderboard/rebuild-boards";
import { TIME_FRAMES } from "@/server/domain/leaderboard/time-frames";
import { type CronJob, STATS_CONCURRENCY } from "../job";

/**
 * The moderators' trollboards, all four time frames, each its own step (so a failure retries only that frame).
 * Hourly: OA recomputed them with the leaderboards, but moderators do not need the day board every 5 minutes.
 */
export const refreshTrollStatsJob: CronJob = {
  id: "refresh-troll-stats",
  name: "Refresh the trollboards",
  trigger: { cron: "17 * * * *", runOnStart: true },
  retries: 2,
  concurrency: STATS_CONCURRENCY,
  async run({ step, deps }) {
    const results = [];
    for (const timeFrame of TIME_FRAMES) {
      results.push(
        await step.run(`refresh-${timeFrame}`, async () => {
          const run = await advanceBoards(deps.db(), [timeFrame], new Date(), { leaderboards: false, trollboards: true });
          const [frame] = run.trollboards ?? [];
          return frame
            ? { timeFrame, recomputed: frame.recomputed, rows: frame.rows }
            : { timeFrame, skipped: `another run of troll-stats:${timeFrame} is in progress` };
        }),
      );
    }
    return results;
  },
};
