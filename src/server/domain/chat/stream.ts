import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { inferenceJobChunks, inferenceJobs } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { ChatConfig } from "./config";
import type { ChatMessageDto, ReplyStreamEvent } from "./dto";
import { findOwnedMessageOrThrow, loadChatMessageDto, messageNotFound } from "./queries";
import { RESET_MARKER } from "./queue";
import { sweepQueue } from "./sweep";
import { getQueueWakeups, type QueueWakeups } from "./wakeups";
import { workersServingCount } from "./workers";

/**
 * Follows one reply in the database and turns it into stream events. On PostgreSQL it reads its job only when a
 * notification says it changed (wakeups.ts): a reply waiting in the queue costs no queries, and a chunk the worker
 * appends arrives with its notification, so the token is shown without a read. Where notifications are
 * not delivered (the embedded server) it polls: one small query per tick, chunks only when `last_seq` moved. Chunk events carry
 * their sequence number as the event id, so a reconnect with the last id resumes exactly after it. Every terminal
 * state ends the stream — OA kept cancelled and timed-out streams open forever (spec §2.3, §7).
 */
/** `id` is the sequence number of the last chunk sent (also on the other events), i.e. where a reconnect resumes. */
export type StreamItem = { id: string; event: ReplyStreamEvent };

/** The queue position costs a count; refreshing it twice a second is plenty for a "you are n-th" line. */
const POSITION_EVERY_MS = 500;
/** A long wait still sends something now and then, so proxies with idle timeouts keep the connection open. */
const REPEAT_QUEUED_MS = 15_000;
/** With notifications, the longest a stream stays quiet without reading its job (a safety net, not a poll). */
const MAX_QUIET_MS = 60_000;
/** Read a little after a deadline or lease expiry, so the database agrees it has passed. */
const DUE_MARGIN_MS = 20;

function parseEventId(value: string | null | undefined): number {
  const seq = value ? Number.parseInt(value, 10) : 0;
  return Number.isFinite(seq) && seq > 0 ? seq : 0;
}

function finalEvent(status: string, message: ChatMessageDto, jobError: string | null): ReplyStreamEvent {
  if (status === "done" || (status === "cancelled" && message.state === "complete")) return { type: "message", message };
  const reason = status === "timed_out" ? "timeout" : status === "cancelled" ? "cancelled" : "failed";
  return { type: "error", reason, error: message.error ?? jobError ?? "The reply could not be generated.", message };
}

export async function* streamReply(
  db: Database,
  userId: string,
  messageId: string,
  options: { config: ChatConfig; lastEventId?: string | null; signal?: AbortSignal; wakeups?: QueueWakeups },
): AsyncGenerator<StreamItem, void, undefined> {
  const { message } = await findOwnedMessageOrThrow(db, userId, messageId);
  if (message.role !== "assistant") throw new AppError("CHAT_NOT_ASSISTANT_MESSAGE", "Only assistant replies have a stream.");
  const { config, signal } = options;
  const wakeups = options.wakeups ?? (await getQueueWakeups(db));
  const notified = wakeups.mode === "notify";
  // Opened before the first read, so a change between that read and the first wait is not missed.
  const watch = wakeups.watch({ messageId });
  let cursor = parseEventId(options.lastEventId);
  let announcedAttempt = 0;
  let lastQueued = "";
  let lastQueuedEvent: ReplyStreamEvent | null = null;
  let positionAt = 0;
  // Polling refreshes the position on a timer; with notifications only when the queue of its model changed.
  let positionStale = true;
  let queuedSentAt = 0;
  let sawText = cursor > 0;
  try {
    while (!signal?.aborted) {
      const [job] = await db
        .select({
          id: inferenceJobs.id,
          status: inferenceJobs.status,
          attempts: inferenceJobs.attempts,
          lastSeq: inferenceJobs.lastSeq,
          error: inferenceJobs.error,
          model: inferenceJobs.modelConfigName,
          overdue: sql<boolean>`(${inferenceJobs.status} = 'queued' and ${inferenceJobs.queueDeadlineAt} <= now())
            or (${inferenceJobs.status} = 'running' and ${inferenceJobs.leaseExpiresAt} < now())`,
          /** Until the queue deadline (queued) or the lease expiry (running), by the database's clock. */
          dueInMs: sql<number | null>`(extract(epoch from case when ${inferenceJobs.status} = 'queued' then ${inferenceJobs.queueDeadlineAt}
            else ${inferenceJobs.leaseExpiresAt} end - now()) * 1000)::float8`,
        })
        .from(inferenceJobs)
        .where(eq(inferenceJobs.chatMessageId, messageId));
      if (!job) throw messageNotFound(messageId); // deleted with its chat meanwhile
      watch.setModels(job.status === "queued" ? [job.model] : []);
      if (job.overdue) {
        // Nobody may be sweeping (no worker running): settle this job now so the stream can end.
        await sweepQueue(db, { jobId: job.id });
        await watch.wait(config.streamPollMs / 4, signal);
        continue;
      }
      const positionDueIn = POSITION_EVERY_MS - (Date.now() - positionAt);
      if (job.status === "queued" && (lastQueued === "" || (positionStale && positionDueIn <= 0))) {
        positionAt = Date.now();
        positionStale = !notified;
        const queued = await queuePosition(db, job.id, job.model, config.workerStaleMs);
        const key = JSON.stringify(queued);
        if (key !== lastQueued || Date.now() - queuedSentAt >= REPEAT_QUEUED_MS) {
          queuedSentAt = Date.now();
          lastQueuedEvent = { type: "queued", ...queued };
          yield { id: String(cursor), event: lastQueuedEvent };
        }
        lastQueued = key;
      }
      // Also for a job that already finished between two polls: the client learns a worker took it.
      if (job.status !== "queued" && job.attempts > announcedAttempt) {
        announcedAttempt = job.attempts;
        lastQueued = "";
        positionStale = true;
        yield { id: String(cursor), event: { type: "started", attempt: job.attempts } };
      }
      if (job.lastSeq > cursor) {
        const chunks = await db
          .select({ seq: inferenceJobChunks.seq, text: inferenceJobChunks.text })
          .from(inferenceJobChunks)
          .where(and(eq(inferenceJobChunks.jobId, job.id), gt(inferenceJobChunks.seq, cursor)))
          .orderBy(asc(inferenceJobChunks.seq));
        for (const chunk of chunks) {
          cursor = chunk.seq;
          sawText = chunk.text !== RESET_MARKER; // after a reset, the new attempt's first token is awaited again
          yield { id: String(chunk.seq), event: chunk.text === RESET_MARKER ? { type: "reset" } : { type: "token", text: chunk.text } };
        }
      }
      if (job.status !== "queued" && job.status !== "running") {
        yield { id: String(cursor), event: finalEvent(job.status, await loadChatMessageDto(db, messageId), job.error) };
        return;
      }
      if (!notified) {
        await watch.wait(sawText ? config.streamPollMs : Math.min(config.streamPollMs, config.streamFirstTokenPollMs), signal);
        continue;
      }
      // Notifications: read again only when the job (or, while queued, its model's queue) changed, or when its deadline
      // or lease runs out — a waiting stream costs no queries. The keep-alive repeats the last queued event unread.
      let dueIn = Math.max(0, job.dueInMs ?? MAX_QUIET_MS) + DUE_MARGIN_MS;
      if (job.status === "queued" && positionStale) dueIn = Math.min(dueIn, Math.max(0, POSITION_EVERY_MS - (Date.now() - positionAt)));
      const waitUntil = Date.now() + Math.min(dueIn, MAX_QUIET_MS);
      for (;;) {
        const untilDue = waitUntil - Date.now();
        const keepAliveIn = job.status === "queued" && lastQueuedEvent ? REPEAT_QUEUED_MS - (Date.now() - queuedSentAt) : Infinity;
        const keepAliveFirst = keepAliveIn < untilDue;
        const reason = await watch.wait(Math.max(0, keepAliveFirst ? keepAliveIn : untilDue), signal);
        if (reason === "queue") positionStale = true;
        // A running job's new chunks came with the notification: shown at once, nothing read (any other change of the
        // job, a gap or a chunk without its text means reading it again below).
        const notifiedChunks = reason === "job" ? watch.takeChunks() : null;
        if (notifiedChunks && job.status === "running") {
          const fresh = notifiedChunks.filter((chunk) => chunk.seq > cursor);
          if (fresh.every((chunk, index) => chunk.seq === cursor + 1 + index && chunk.text !== RESET_MARKER)) {
            for (const chunk of fresh) {
              cursor = chunk.seq;
              sawText = true;
              yield { id: String(chunk.seq), event: { type: "token", text: chunk.text } };
            }
            continue;
          }
        }
        if (reason === "timeout" && keepAliveFirst && lastQueuedEvent) {
          queuedSentAt = Date.now();
          yield { id: String(cursor), event: lastQueuedEvent };
          continue;
        }
        break;
      }
    }
  } finally {
    watch.close();
  }
}

/** 1 = next to be claimed for this model: higher priority first, then first come (the claim's own order). One statement. */
async function queuePosition(db: Database, jobId: string, model: string, staleMs: number) {
  const rows = await db.execute<{ position: number; size: number; workers: number }>(sql`
    select (count(*) filter (where j.priority > me.priority
              or (j.priority = me.priority and (j.enqueued_at, j.id) < (me.enqueued_at, me.id))) + 1)::int as position,
           count(*)::int as size,
           (${workersServingCount(model, staleMs)}) as workers
    from inference_jobs j, (select priority, enqueued_at, id from inference_jobs where id = ${jobId}) me
    where j.status = 'queued' and j.model_config_name = ${model}`);
  return { position: rows[0]?.position ?? 1, queueSize: Math.max(rows[0]?.size ?? 1, 1), workersOnline: rows[0]?.workers ?? 0 };
}
