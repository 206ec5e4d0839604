import { NonRetriableError } from "inngest";
import type { MessageCreated } from "./events";
import { isCronJob, type Job, type JobDeps, type JobLogger, type JobStep } from "./job";

export type InProcessOptions = {
  /** Wait before retry number `attempt` (0-based); Inngest-like exponential backoff by default. */
  retryDelayMs?: (attempt: number) => number;
  logger?: JobLogger;
};

const defaultDelay = (attempt: number) => Math.min(60_000, 1000 * 2 ** attempt);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a job's body in this process with the step semantics the body relies on: each step is retried up to
 * `job.retries` times with backoff unless it throws NonRetriableError, and a step that succeeded is never re-run
 * (the body runs once, so there is nothing to replay).
 */
export async function runJobInProcess(job: Job, deps: JobDeps, data?: MessageCreated, options: InProcessOptions = {}): Promise<unknown> {
  const delay = options.retryDelayMs ?? defaultDelay;
  const logger = options.logger ?? console;
  const step: JobStep = {
    async run(id, work) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await work();
        } catch (error) {
          if (error instanceof NonRetriableError || attempt >= job.retries) throw error;
          logger.warn(`[jobs] ${job.id}: step ${id} failed (attempt ${attempt + 1} of ${job.retries + 1}), retrying:`, (error as Error).message);
          await sleep(delay(attempt));
        }
      }
    },
  };
  if (isCronJob(job)) return job.run({ step, deps, logger });
  if (!data) throw new Error(`${job.id} needs its event data`);
  return job.run({ data, step, deps, logger });
}
