import { index, pgTable, text, uuid, varchar } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";

export const JOB_RUN_OUTCOMES = ["succeeded", "skipped", "failed"] as const;
export type JobRunOutcome = (typeof JOB_RUN_OUTCOMES)[number];

/**
 * One row per finished run of a background job (cron or event), written by the one wrapper every job goes through
 * (`src/server/inngest/job-runs.ts`), never by a job body. The status page shows the last runs of each job; older
 * rows are pruned by the wrapper (the last `JOB_RUNS_KEPT` per job stay).
 */
export const jobRuns = pgTable(
  "job_runs",
  {
    /** Chosen by the wrapper at the start of the run, so a replayed Inngest run writes its row once. */
    id: uuid().primaryKey(),
    jobId: varchar({ length: 128 }).notNull(),
    startedAt: timestamptz().notNull(),
    finishedAt: timestamptz().notNull(),
    outcome: varchar({ length: 16 }).$type<JobRunOutcome>().notNull(),
    /** The error message of a failed run, or why a run was skipped. */
    message: text(),
  },
  (t) => [index("job_runs_job_started_idx").on(t.jobId, t.startedAt)],
);
