import { computeQuality } from "@/server/domain/quality/compute-quality";
import { type CronJob, STATS_CONCURRENCY } from "../job";
import { withJobLock } from "../job-lock";

/** Agreement, uncertainty and reviewer scores for the quality page and the export (issue 14), nightly. */
export const computeQualityJob: CronJob = {
  id: "compute-quality",
  name: "Compute agreement and uncertainty",
  trigger: { cron: "17 3 * * *" },
  retries: 2,
  concurrency: STATS_CONCURRENCY,
  run: ({ step, deps }) =>
    step.run("compute", async () => {
      const reliabilityWeighting = deps.treeDeps().config.qualityReliabilityWeighting;
      const run = await withJobLock(deps.db(), "quality", (tx) => computeQuality(tx, { reliabilityWeighting }));
      return run.ran ? { computed: run.result } : { skipped: run.reason };
    }),
};
