import { eq, sql } from "drizzle-orm";
import type { Database, DbOrTx, Transaction } from "@/server/db/client";
import { chatMessages, inferenceJobs } from "@/server/db/schema";
import { markJobFailed, requeueJob } from "./queue";

/**
 * Housekeeping any process can run (workers do, between jobs; a reply stream does for its own job): queued jobs past
 * their deadline time out even when no worker is running (OA checked only at dequeue, spec §7), and running jobs
 * whose lease expired — their worker died or hung — go back to the queue, or fail once their attempts are used up.
 * Rows are taken with SKIP LOCKED, so sweepers running side by side share the work instead of waiting.
 */
export type SweepResult = { timedOut: number; requeued: number; failed: number; stopped: number };

export const TIMEOUT_ERROR = "No worker was free to write this reply in time. Please try again.";

/**
 * Queued jobs past their deadline become `timed_out` (and their messages `timeout`). Runs in the caller's
 * transaction when given one: enqueue calls it under its lock, so an expired reply never counts against a cap.
 */
export async function timeOutOverdueJobs(db: DbOrTx, options: { jobId?: string; limit?: number } = {}): Promise<number> {
  const onlyJob = options.jobId ? sql`and id = ${options.jobId}` : sql``;
  const rows = await db.execute<{ id: string }>(sql`
    with due as (
      select id from inference_jobs where status = 'queued' and queue_deadline_at <= now() ${onlyJob}
      for update skip locked limit ${options.limit ?? 100}
    ), job as (
      update inference_jobs j set status = 'timed_out', finished_at = now(), error = ${TIMEOUT_ERROR}
      from due where j.id = due.id returning j.id, j.chat_message_id
    ), message as (
      update chat_messages m set state = 'timeout', error = ${TIMEOUT_ERROR}, work_end_at = now()
      from job where m.id = job.chat_message_id
    )
    select id from job`);
  return rows.length;
}

export async function sweepQueue(db: Database, options: { jobId?: string; limit?: number } = {}): Promise<SweepResult> {
  const limit = options.limit ?? 100;
  const onlyJob = options.jobId ? sql`and id = ${options.jobId}` : sql``;
  const timedOut = await timeOutOverdueJobs(db, options);

  const expired = await db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: string; attempts: number; max_attempts: number; stop_requested_at: Date | null; lease_owner: string | null }>(sql`
      select id, attempts, max_attempts, stop_requested_at, lease_owner from inference_jobs
      where status = 'running' and lease_expires_at < now() ${onlyJob}
      order by lease_expires_at for update skip locked limit ${limit}`);
    const result = { requeued: 0, failed: 0, stopped: 0 };
    for (const job of rows) {
      if (job.stop_requested_at) {
        await finishStoppedJob(tx, job.id);
        result.stopped++;
      } else if (job.attempts >= job.max_attempts) {
        const error = `The worker writing this reply stopped responding (${job.attempts} attempts); giving up.`;
        await markJobFailed(tx, job.id, error, job.lease_owner);
        result.failed++;
      } else {
        await requeueJob(tx, job.id, false);
        result.requeued++;
      }
    }
    return result;
  });
  return { timedOut, ...expired };
}

/** The user pressed stop and the worker died before answering it: keep whatever text was written. */
async function finishStoppedJob(tx: Transaction, jobId: string): Promise<void> {
  const [job] = await tx
    .update(inferenceJobs)
    .set({ status: "cancelled", finishedAt: sql`now()`, leaseExpiresAt: null })
    .where(eq(inferenceJobs.id, jobId))
    .returning({ messageId: inferenceJobs.chatMessageId });
  await tx
    .update(chatMessages)
    .set({
      state: sql`case when coalesce(${chatMessages.content}, '') <> '' then 'complete' else 'cancelled' end::chat_message_state`,
      error: sql`case when coalesce(${chatMessages.content}, '') <> '' then null else 'Stopped before any text was written.' end`,
      workEndAt: sql`now()`,
    })
    .where(eq(chatMessages.id, job!.messageId));
}
