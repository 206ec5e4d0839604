import { pickEnv } from "@/env";
import { getDatabase } from "@/server/db";
import type { Database } from "@/server/db/client";
import { embeddingsConfigFromEnv } from "@/server/domain/embeddings/client";
import { toxicityConfigFromEnv } from "@/server/domain/toxicity/client";
import { getRuntimeTreeDeps } from "@/server/domain/trees/runtime";
import { inngest, isInngestConfigured } from "./client";
import { JOBS } from "./functions";
import { runJobInProcess } from "./in-process";
import { isCronJob, type JobDeps } from "./job";
import { JobRuntime } from "./runtime";

/** The app's job dependencies, resolved when a run starts. */
export const runtimeJobDeps: JobDeps = {
  db: getDatabase,
  toxicity: toxicityConfigFromEnv,
  embeddings: embeddingsConfigFromEnv,
  treeDeps: getRuntimeTreeDeps,
};

const globalForJobs = globalThis as unknown as { __oaJobRuntime?: JobRuntime; __oaScheduler?: { stop: () => Promise<void> } };

export function getJobRuntime(): JobRuntime {
  globalForJobs.__oaJobRuntime ??= new JobRuntime({ deps: runtimeJobDeps, jobs: JOBS, inngest: isInngestConfigured() ? inngest : null });
  return globalForJobs.__oaJobRuntime;
}

/**
 * Hook for the task submit code: call after the transaction that stored a message has committed. Scores toxicity
 * and computes the embedding (through Inngest, or in-process right after the response). Never throws.
 */
export function emitMessageCreated(messageId: string): Promise<void> {
  return getJobRuntime().emitMessageCreated({ messageId });
}

/**
 * Hook for server start-up (`src/instrumentation.ts`): without Inngest, runs the crons (leaderboards, troll stats,
 * cached stats, streaks, expired tasks, lottery, message search index) on a timer in this process. A no-op with Inngest configured (it
 * runs them), with JOBS_SCHEDULER_DISABLED, or when already started (hot reloads).
 */
export function startInProcessScheduler(): void {
  if (globalForJobs.__oaScheduler || isInngestConfigured() || pickEnv(["JOBS_SCHEDULER_DISABLED"]).JOBS_SCHEDULER_DISABLED) return;
  globalForJobs.__oaScheduler = getJobRuntime().startScheduler();
}

/**
 * Runs a cron job right now in this process and returns its result (moderators' "refresh now", OA's trusted
 * `POST /leaderboards/update` and `/stats/cached/update`); its advisory lock keeps it apart from a scheduled run.
 */
export async function runJobNow(jobId: string, db: Database): Promise<unknown> {
  const job = JOBS.find((candidate) => candidate.id === jobId);
  if (!job || !isCronJob(job)) throw new Error(`No scheduled job ${jobId}`);
  return runJobInProcess(job, { ...runtimeJobDeps, db: () => db }, undefined, { retryDelayMs: () => 500 });
}
