import { refreshCachedStats } from "@/server/domain/stats/cached-stats";
import { type CronJob, STATS_CONCURRENCY } from "../job";
import { withJobLock } from "../job-lock";

/** The statistics page's numbers (OA `update_cached_stats`, every 60 min, spec §4.6); also once at start-up. */
export const refreshCachedStatsJob: CronJob = {
  id: "refresh-cached-stats",
  name: "Refresh the cached statistics",
  trigger: { cron: "31 * * * *", runOnStart: true },
  retries: 2,
  concurrency: STATS_CONCURRENCY,
  run: ({ step, deps }) =>
    step.run("refresh", async () => {
      const run = await withJobLock(deps.db(), "cached-stats", (tx) => refreshCachedStats(tx));
      return run.ran ? { refreshed: run.result } : { skipped: run.reason };
    }),
};
