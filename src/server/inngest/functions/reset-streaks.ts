import { resetIdleStreaks } from "@/server/domain/leaderboard/streaks";
import { type CronJob, MAINTENANCE_CONCURRENCY } from "../job";
import { withJobLock } from "../job-lock";

/** Ends the streaks of users idle for 36 hours (OA `periodic_user_streak_reset`, every 4 h, spec §4.2). */
export const resetStreaksJob: CronJob = {
  id: "reset-streaks",
  name: "Reset idle contribution streaks",
  trigger: { cron: "23 */4 * * *" },
  retries: 2,
  concurrency: MAINTENANCE_CONCURRENCY,
  run: ({ step, deps }) =>
    step.run("reset-idle-streaks", async () => {
      const run = await withJobLock(deps.db(), "streaks", (tx) => resetIdleStreaks(tx));
      return run.ran ? { reset: run.result } : { skipped: run.reason };
    }),
};
