import type { Database } from "@/server/db/client";
import type { EmbeddingsConfig } from "@/server/domain/embeddings/client";
import type { ToxicityConfig } from "@/server/domain/toxicity/client";
import type { TreeDeps } from "@/server/domain/trees/deps";
import type { MESSAGE_CREATED, MessageCreated } from "./events";

/**
 * A background job, written once and run two ways: as an Inngest function (`to-inngest.ts`) or in-process
 * (`in-process.ts`) when no Inngest is configured. The body only uses `step.run`, whose results are plain JSON.
 */
export type JobStep = { run: <T>(id: string, work: () => Promise<T>) => Promise<T> };
export type JobLogger = { info: (...args: unknown[]) => void; warn: (...args: unknown[]) => void; error: (...args: unknown[]) => void };

/** What job bodies need, resolved when a run starts (tests pass their own database and endpoints). */
export type JobDeps = {
  db: () => Database;
  toxicity: () => ToxicityConfig | null;
  embeddings: () => EmbeddingsConfig | null;
  treeDeps: () => TreeDeps;
};

type ConcurrencyOption = { limit: number; key?: string; scope?: "fn" | "env" | "account" };
/** Inngest accepts at most two concurrency constraints per function. */
type Concurrency = [ConcurrencyOption] | [ConcurrencyOption, ConcurrencyOption];

type JobBase = {
  id: string;
  name: string;
  /** Attempts after the first, per step (Inngest retries a failed step; so does the in-process runner). */
  retries: 0 | 1 | 2 | 3 | 4 | 5;
  /** Inngest flow control: no two runs with the same key at once. */
  concurrency: Concurrency;
};

export type EventJob = JobBase & {
  trigger: { event: typeof MESSAGE_CREATED };
  /**
   * Why this deployment gives the job nothing to do (its model is not configured), or null when it is on. A job
   * that is off is not started for each message and leaves no run record; the status page says it is off instead.
   */
  offReason: (deps: JobDeps) => string | null;
  /** Inngest drops a repeated event with the same key within 24 h. */
  idempotency?: string;
  run: (ctx: { data: MessageCreated; step: JobStep; deps: JobDeps; logger: JobLogger }) => Promise<unknown>;
};

export type CronJob = JobBase & {
  /** A five-field cron expression in UTC. */
  trigger: { cron: string; runOnStart?: boolean };
  run: (ctx: { step: JobStep; deps: JobDeps; logger: JobLogger }) => Promise<unknown>;
};

export type Job = EventJob | CronJob;

export const isCronJob = (job: Job): job is CronJob => "cron" in job.trigger;

/**
 * Scans over the big tables (leaderboards, troll stats, cached stats) share one Inngest concurrency key, so at most
 * one of them loads the database at a time; the advisory lock in each body (`job-lock.ts`) keeps the in-process
 * fallback, and a second app process, just as safe.
 */
export const STATS_CONCURRENCY: Concurrency = [{ limit: 1, key: '"oa-stats-refresh"', scope: "env" }];
export const MAINTENANCE_CONCURRENCY: Concurrency = [{ limit: 1, key: '"oa-maintenance"', scope: "env" }];
/** One run per message at a time, and a cap on parallel calls to the model APIs. */
export const MESSAGE_CONCURRENCY: Concurrency = [{ limit: 1, key: "event.data.messageId" }, { limit: 4 }];
