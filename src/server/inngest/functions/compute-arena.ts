import { computeArena } from "@/server/domain/quality/arena-compute";
import { type CronJob, STATS_CONCURRENCY } from "../job";
import { withJobLock } from "../job-lock";

/** The public model arena (issue 14 item 5): comparisons from chat votes and draft picks, fitted hourly. */
export const computeArenaJob: CronJob = {
  id: "compute-arena",
  name: "Fit the model arena",
  trigger: { cron: "41 * * * *" },
  retries: 2,
  concurrency: STATS_CONCURRENCY,
  run: ({ step, deps }) =>
    step.run("compute", async () => {
      const run = await withJobLock(deps.db(), "arena", (tx) => computeArena(tx));
      return run.ran ? { computed: run.result } : { skipped: run.reason };
    }),
};
