import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { JOB_RUN_OUTCOMES, jobRuns, type JobRunOutcome } from "@/server/db/schema";
import { type CronJob, type EventJob, isCronJob, type Job, type JobDeps, type JobLogger, type JobStep } from "./job";

/** Runs kept per job; older ones are pruned when a run is recorded. */
export const JOB_RUNS_KEPT = 50;

/** A run whose result says `{ skipped: "…" }` did nothing on purpose (off, locked by another run, already done). */
function outcomeOf(result: unknown): { outcome: JobRunOutcome; message: string | null } {
  const skipped = result && typeof result === "object" && "skipped" in result ? (result as { skipped: unknown }).skipped : undefined;
  return skipped === undefined ? { outcome: "succeeded", message: null } : { outcome: "skipped", message: String(skipped).slice(0, 1000) };
}

async function recordRun(db: DbOrTx, run: { id: string; jobId: string; startedAt: string; outcome: JobRunOutcome; message: string | null }) {
  await db.insert(jobRuns).values({ ...run, startedAt: new Date(run.startedAt), finishedAt: sql`now()` }).onConflictDoNothing();
  // Ordered by start, then id: runs that started in the same millisecond would otherwise all survive the cut.
  await db.execute(sql`
    delete from job_runs where job_id = ${run.jobId} and (started_at, id) < (
      select started_at, id from job_runs where job_id = ${run.jobId} order by started_at desc, id desc offset ${JOB_RUNS_KEPT - 1} limit 1)`);
}

/**
 * Wraps a job's body so every run — in-process or on Inngest — leaves one `job_runs` row (start, finish, outcome,
 * error), written here and nowhere else. The start is a memoised step (a replayed Inngest run keeps its id and
 * start time) and the record is one more step at the end; a failure to record is logged, never fails the job.
 */
export function withRunRecord<J extends Job>(job: J): J {
  const recorded = async (ctx: { step: JobStep; deps: JobDeps; logger: JobLogger }, body: () => Promise<unknown>) => {
    const start = await ctx.step.run("job-run:start", async () => ({ id: randomUUID(), startedAt: new Date().toISOString() }));
    // The failure is caught inside the step: a step that throws is retried (up to six times, with back-off), and a
    // record that cannot be written (no database configured, a blip) must neither delay nor fail the job.
    const record = (outcome: { outcome: JobRunOutcome; message: string | null }) =>
      ctx.step.run(`job-run:${outcome.outcome}`, async () => {
        try {
          await recordRun(ctx.deps.db(), { ...start, jobId: job.id, ...outcome });
        } catch (error) {
          ctx.logger.warn(`[jobs] could not record a run of ${job.id}:`, (error as Error).message);
        }
        return null;
      });
    let result: unknown;
    try {
      result = await body();
    } catch (error) {
      await record({ outcome: "failed", message: (error instanceof Error ? error.message : String(error)).slice(0, 1000) });
      throw error;
    }
    await record(outcomeOf(result));
    return result;
  };
  if (isCronJob(job)) return { ...job, run: (ctx: Parameters<CronJob["run"]>[0]) => recorded(ctx, () => job.run(ctx)) };
  const eventJob: EventJob = job;
  return {
    ...job,
    // A job that is off would record a skipped run for every message (Inngest still starts it when its event
    // arrives): it answers at once, without steps or a record; the status page shows it as off.
    run: async (ctx: Parameters<EventJob["run"]>[0]) => {
      const off = eventJob.offReason(ctx.deps);
      return off === null ? recorded(ctx, () => eventJob.run(ctx)) : { skipped: off };
    },
  };
}

export const ZJobRunSummary = z.object({
  jobId: z.string(),
  name: z.string(),
  trigger: z.string(),
  /** Why the job is off in this deployment (an event job whose model is not configured), or null. */
  off: z.string().nullable(),
  runs: z.array(z.object({ startedAt: z.date(), durationMs: z.number(), outcome: z.enum(JOB_RUN_OUTCOMES), message: z.string().nullable() })),
});
export type JobRunSummary = z.infer<typeof ZJobRunSummary>;

/** The last `perJob` runs of each job, newest first (one lateral index scan per job), and whether it is off. */
export async function listJobRuns(db: DbOrTx, jobs: readonly Job[], deps: JobDeps, perJob = 10): Promise<JobRunSummary[]> {
  if (jobs.length === 0) return [];
  // Job ids are code constants of letters, digits and dashes, so a plain array literal is safe.
  const ids = jobs.map((job) => job.id);
  const rows = await db.execute<{ job_id: string; started_at: string; duration_ms: number; outcome: JobRunOutcome; message: string | null }>(sql`
    select j.job_id, r.started_at, r.duration_ms, r.outcome, r.message
    from unnest(${`{${ids.join(",")}}`}::text[]) as j(job_id)
    join lateral (
      select started_at, (extract(epoch from finished_at - started_at) * 1000)::float8 as duration_ms, outcome, message
      from job_runs where job_runs.job_id = j.job_id order by started_at desc limit ${perJob}
    ) r on true
    order by j.job_id, r.started_at desc`);
  return jobs.map((job) => ({
    jobId: job.id,
    name: job.name,
    trigger: isCronJob(job) ? job.trigger.cron : job.trigger.event,
    off: isCronJob(job) ? null : job.offReason(deps),
    runs: rows
      .filter((row) => row.job_id === job.id)
      .map((row) => ({ startedAt: new Date(row.started_at), durationMs: Number(row.duration_ms), outcome: row.outcome, message: row.message })),
  }));
}
