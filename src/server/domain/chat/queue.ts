import { eq, sql } from "drizzle-orm";
import type { Database, DbOrTx, Transaction } from "@/server/db/client";
import { chatMessages, inferenceJobChunks, inferenceJobs, type WorkParameters } from "@/server/db/schema";
import type { ThreadMessage } from "./prompt";
import { msFromNow } from "./queries";

/**
 * The worker's side of the inference queue (DESIGN.md "Inference queue"). Every write after the claim is fenced by
 * (job, lease owner, attempt, running): a worker whose lease expired and whose job was claimed again writes nothing,
 * it just learns that it lost the job.
 */
export type JobLease = { jobId: string; workerId: string; attempt: number; leaseMs: number };

export type ClaimedJob = JobLease & {
  chatMessageId: string;
  chatId: string;
  /** The prompter message the reply answers. */
  parentId: string;
  modelConfigName: string;
  workParameters: WorkParameters;
  maxAttempts: number;
  /** Chunks are numbered after this. */
  lastSeq: number;
  /** Root → parent: the conversation the reply continues, read by the claim itself (one round trip less). */
  thread: ThreadMessage[];
};

/** A chunk with empty text marks "the text so far was dropped" (a new attempt starts over); streams yield `reset`. */
export const RESET_MARKER = "";

const fence = (lease: JobLease) =>
  sql`id = ${lease.jobId} and lease_owner = ${lease.workerId} and attempts = ${lease.attempt} and status = 'running'`;

type ClaimRow = {
  id: string;
  chat_message_id: string;
  attempts: number;
  max_attempts: number;
  model_config_name: string;
  last_seq: number;
  chat_id: string;
  parent_id: string;
  work_parameters: WorkParameters;
  thread: { role: "prompter" | "assistant"; content: string | null }[];
};

/**
 * Claims the most urgent queued job for one of `models` in one statement (`FOR UPDATE SKIP LOCKED`, so concurrent
 * workers never take the same row) and marks its message `in_progress`. A job past its queue deadline is never
 * started; the sweep turns it into a timeout. The same statement reads the conversation up to the reply's parent
 * (as `loadThread` does), so the engine can be called as soon as the claim returns.
 */
export async function claimJob(db: DbOrTx, options: { workerId: string; models: readonly string[]; leaseMs: number }): Promise<ClaimedJob | null> {
  if (options.models.length === 0) return null;
  const rows = await db.execute<ClaimRow>(sql`
    with recursive next as (
      select id from inference_jobs
      where status = 'queued' and model_config_name in ${options.models} and queue_deadline_at > now()
      order by priority desc, enqueued_at, id
      for update skip locked
      limit 1
    ), claimed as (
      update inference_jobs j
      set status = 'running', attempts = j.attempts + 1, lease_owner = ${options.workerId},
          lease_expires_at = ${msFromNow(options.leaseMs)}, heartbeat_at = now(), started_at = coalesce(j.started_at, now())
      from next where j.id = next.id
      returning j.id, j.chat_message_id, j.attempts, j.max_attempts, j.model_config_name, j.last_seq
    ), message as (
      update chat_messages m
      set state = 'in_progress', work_begin_at = now(), worker_id = ${options.workerId}, error = null
      from claimed where m.id = claimed.chat_message_id
      returning m.chat_id, m.parent_id, m.work_parameters
    ), branch as (
      select id, parent_id, role, content, 0 as depth from chat_messages where id = (select parent_id from message)
      union all
      select m.id, m.parent_id, m.role, m.content, b.depth + 1
      from chat_messages m join branch b on m.id = b.parent_id
      where b.depth < 10000
    )
    select claimed.*, message.chat_id, message.parent_id, message.work_parameters,
      (select coalesce(json_agg(json_build_object('role', role, 'content', content) order by depth desc), '[]'::json) from branch) as thread
    from claimed, message`);
  const row = rows[0];
  if (!row) return null;
  return {
    jobId: row.id,
    workerId: options.workerId,
    attempt: row.attempts,
    leaseMs: options.leaseMs,
    chatMessageId: row.chat_message_id,
    chatId: row.chat_id,
    parentId: row.parent_id,
    modelConfigName: row.model_config_name,
    workParameters: row.work_parameters,
    maxAttempts: row.max_attempts,
    lastSeq: row.last_seq,
    thread: row.thread.map((message) => ({ role: message.role, content: message.content ?? "" })),
  };
}

/** `null`: the lease is gone (expired and claimed again, or the chat was deleted): stop working on the job. */
export type LeaseState = { stopRequested: boolean } | null;

/** Heartbeat: extends the lease and reports whether the user pressed stop. */
export async function renewLease(db: DbOrTx, lease: JobLease): Promise<LeaseState> {
  const rows = await db.execute<{ stop_requested_at: Date | null }>(sql`
    update inference_jobs set heartbeat_at = now(), lease_expires_at = ${msFromNow(lease.leaseMs)}
    where ${fence(lease)} returning stop_requested_at`);
  return rows[0] ? { stopRequested: rows[0].stop_requested_at !== null } : null;
}

/** A notification payload must stay under 8,000 bytes; a longer chunk is announced without its text (streams read it). */
export const CHUNK_NOTIFY_MAX_BYTES = 7_900;

/**
 * Appends one chunk and the message's text so far, and renews the lease, in one statement. It also notifies the
 * reply's streams with the chunk itself (`{"m": reply id, "s": seq, "t": text}` on `inference_job`, see wakeups.ts), so
 * a stream shows the token without reading it back. The commit does not wait for the disk (`synchronous_commit` off
 * for this transaction only): a chunk is a progress report, re-sent by nothing and needed by nobody after a database
 * crash — the final text is written by `finishJob`, whose ordinary commit also makes every earlier chunk durable. A
 * crash can lose at most the last few hundred milliseconds of chunks; the job and its lease stay as durable as before.
 */
export async function appendChunk(db: DbOrTx, lease: JobLease, seq: number, text: string): Promise<LeaseState> {
  const rows = await db.execute<{ stop_requested_at: Date | null }>(sql`
    with job as (
      update inference_jobs set last_seq = ${seq}, heartbeat_at = now(), lease_expires_at = ${msFromNow(lease.leaseMs)}
      where ${fence(lease)} returning id, chat_message_id, stop_requested_at
    ), chunk as (
      insert into inference_job_chunks (job_id, seq, text) select id, ${seq}, ${text} from job
    ), message as (
      update chat_messages m set content = coalesce(m.content, '') || ${text} from job where m.id = job.chat_message_id
    ), payload as (
      select job.stop_requested_at,
        json_build_object('m', job.chat_message_id, 's', ${seq}::integer, 't', ${text}::text)::text as with_text,
        json_build_object('m', job.chat_message_id, 's', ${seq}::integer)::text as without_text
      from job
    )
    select stop_requested_at,
      pg_notify('inference_job', case when octet_length(with_text) <= ${CHUNK_NOTIFY_MAX_BYTES} then with_text else without_text end) as notified,
      set_config('synchronous_commit', 'off', true) as commit_mode
    from payload`);
  return rows[0] ? { stopRequested: rows[0].stop_requested_at !== null } : null;
}

/**
 * Done, or stopped by the user (`stopped`): the message gets the final text. A stop before any text leaves a
 * `cancelled` message. Returns false when the lease was lost (someone else owns the job now).
 */
export async function finishJob(db: DbOrTx, lease: JobLease, result: { content: string; stopped: boolean }): Promise<boolean> {
  const state = result.stopped && result.content === "" ? "cancelled" : "complete";
  const error = state === "cancelled" ? "Stopped before any text was written." : null;
  const rows = await db.execute<{ id: string }>(sql`
    with job as (
      update inference_jobs set status = ${result.stopped ? "cancelled" : "done"}::inference_job_status, finished_at = now(), heartbeat_at = now(), lease_expires_at = null
      where ${fence(lease)} returning id, chat_message_id
    ), message as (
      update chat_messages m set state = ${state}::chat_message_state, content = ${result.content}, error = ${error}, work_end_at = now()
      from job where m.id = job.chat_message_id
    ), counter as (
      update inference_workers set jobs_done = jobs_done + 1 where id = ${lease.workerId} and exists (select 1 from job)
    )
    select id from job`);
  return rows.length > 0;
}

/**
 * Puts a running job back in the queue in the caller's transaction: chunks are dropped and replaced by a reset
 * marker so streams discard the partial text; the queue deadline starts again. `refundAttempt` when the worker gave
 * the job back on purpose (shutdown) rather than failing.
 */
export async function requeueJob(tx: Transaction, jobId: string, refundAttempt: boolean): Promise<void> {
  const dropped = await tx.delete(inferenceJobChunks).where(eq(inferenceJobChunks.jobId, jobId)).returning({ seq: inferenceJobChunks.seq });
  const [job] = await tx
    .update(inferenceJobs)
    .set({
      status: "queued",
      leaseOwner: null,
      leaseExpiresAt: null,
      heartbeatAt: null,
      attempts: refundAttempt ? sql`greatest(${inferenceJobs.attempts} - 1, 0)` : inferenceJobs.attempts,
      queueDeadlineAt: sql`now() + (${inferenceJobs.queueDeadlineAt} - ${inferenceJobs.enqueuedAt})`,
      lastSeq: dropped.length > 0 ? sql`${inferenceJobs.lastSeq} + 1` : inferenceJobs.lastSeq,
    })
    .where(eq(inferenceJobs.id, jobId))
    .returning();
  if (dropped.length > 0) await tx.insert(inferenceJobChunks).values({ jobId, seq: job!.lastSeq, text: RESET_MARKER });
  await tx
    .update(chatMessages)
    .set({ state: "pending", content: null, workerId: null, workBeginAt: null })
    .where(eq(chatMessages.id, job!.chatMessageId));
}

/** Ends a job as failed: the message becomes `aborted_by_worker` with a reason the user can read. */
export async function markJobFailed(tx: DbOrTx, jobId: string, error: string, workerId: string | null): Promise<void> {
  const [job] = await tx
    .update(inferenceJobs)
    .set({ status: "failed", error, finishedAt: sql`now()`, leaseExpiresAt: null })
    .where(eq(inferenceJobs.id, jobId))
    .returning({ messageId: inferenceJobs.chatMessageId });
  await tx.update(chatMessages).set({ state: "aborted_by_worker", error, workEndAt: sql`now()` }).where(eq(chatMessages.id, job!.messageId));
  if (workerId) await tx.execute(sql`update inference_workers set jobs_failed = jobs_failed + 1 where id = ${workerId}`);
}

async function lockOwnedJob(tx: Transaction, lease: JobLease) {
  const rows = await tx.execute<{ attempts: number; max_attempts: number }>(sql`select attempts, max_attempts from inference_jobs where ${fence(lease)} for update`);
  return rows[0] ?? null;
}

/**
 * The engine failed. `retry` (a network error, an overloaded upstream) puts the job back while attempts remain;
 * otherwise, or when they are used up, it fails. Returns what happened, or null when the lease was already lost.
 */
export async function failJob(db: Database, lease: JobLease, failure: { error: string; retry: boolean }): Promise<"requeued" | "failed" | null> {
  return db.transaction(async (tx) => {
    const job = await lockOwnedJob(tx, lease);
    if (!job) return null;
    if (failure.retry && job.attempts < job.max_attempts) {
      await requeueJob(tx, lease.jobId, false);
      return "requeued";
    }
    await markJobFailed(tx, lease.jobId, failure.error, lease.workerId);
    return "failed";
  });
}

/** Graceful shutdown: give an unfinished job back without spending one of its attempts. */
export async function releaseJob(db: Database, lease: JobLease): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await lockOwnedJob(tx, lease))) return false;
    await requeueJob(tx, lease.jobId, true);
    return true;
  });
}
