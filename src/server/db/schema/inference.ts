import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { chatMessages } from "./chat";
import { createdAt, timestamptz, uuidPk } from "./columns";

export const inferenceJobStatus = pgEnum("inference_job_status", [
  "queued",
  "running",
  "done",
  "failed",
  "cancelled",
  "timed_out",
]);
export type InferenceJobStatus = (typeof inferenceJobStatus.enumValues)[number];

/**
 * The inference queue: one job per assistant chat message. Workers claim with
 * `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)` and hold a lease they renew while generating.
 */
export const inferenceJobs = pgTable(
  "inference_jobs",
  {
    id: uuidPk(),
    chatMessageId: uuid().notNull().unique().references(() => chatMessages.id, { onDelete: "cascade" }),
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    modelConfigName: varchar({ length: 256 }).notNull(),
    status: inferenceJobStatus().notNull().default("queued"),
    /** Higher runs first. */
    priority: integer().notNull().default(0),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(3),
    leaseOwner: uuid(),
    leaseExpiresAt: timestamptz(),
    heartbeatAt: timestamptz(),
    enqueuedAt: createdAt(),
    /** A queued job not picked up by then times out. */
    queueDeadlineAt: timestamptz().notNull(),
    startedAt: timestamptz(),
    finishedAt: timestamptz(),
    stopRequestedAt: timestamptz(),
    /** Highest chunk sequence number written so far. */
    lastSeq: integer().notNull().default(0),
    error: text(),
  },
  (t) => [
    index("inference_jobs_queue_idx")
      .on(t.modelConfigName, t.priority, t.enqueuedAt)
      .where(sql`${t.status} = 'queued'`),
    index("inference_jobs_leases_idx").on(t.leaseExpiresAt).where(sql`${t.status} = 'running'`),
    index("inference_jobs_user_status_idx").on(t.userId, t.status),
  ],
);

/** Generated text in small ordered pieces, so a stream can resume from any sequence number. */
export const inferenceJobChunks = pgTable(
  "inference_job_chunks",
  {
    jobId: uuid().notNull().references(() => inferenceJobs.id, { onDelete: "cascade" }),
    seq: integer().notNull(),
    text: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);

export const workerStatus = pgEnum("inference_worker_status", ["online", "draining", "offline"]);

/** Inference workers, registered by themselves at start-up and kept fresh by heartbeats. */
export const inferenceWorkers = pgTable(
  "inference_workers",
  {
    id: uuidPk(),
    name: varchar({ length: 256 }).notNull(),
    engine: varchar({ length: 64 }).notNull(),
    models: jsonb().$type<string[]>().notNull(),
    hostname: varchar({ length: 256 }).notNull().default(""),
    status: workerStatus().notNull().default("online"),
    startedAt: createdAt(),
    lastHeartbeatAt: createdAt(),
    jobsDone: integer().notNull().default(0),
    jobsFailed: integer().notNull().default(0),
  },
  (t) => [index("inference_workers_heartbeat_idx").on(t.status, t.lastHeartbeatAt)],
);
