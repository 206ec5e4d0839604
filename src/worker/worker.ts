import { hostname } from "node:os";
import type { Database } from "@/server/db/client";
import { claimJob } from "@/server/domain/chat/queue";
import { sweepQueue } from "@/server/domain/chat/sweep";
import { getQueueWakeups, POLLING_WAKEUPS, type QueueWakeups } from "@/server/domain/chat/wakeups";
import { heartbeatWorker, markWorkerOffline, registerWorker } from "@/server/domain/chat/workers";
import type { Engine } from "./engines/engine";
import { type JobOutcome, type JobTimings, runJob } from "./run-job";

/**
 * The worker loop: register, heartbeat, and in each of `concurrency` slots claim a job for our models and run it.
 * Between jobs the slots sweep the queue (timeouts, expired leases), so recovery does not depend on the app.
 * `stop()` drains: no new claims, running jobs may finish within the grace period, the rest are given back.
 */
export type WorkerSettings = {
  name: string;
  models: string[];
  concurrency: number;
  leaseMs: number;
  heartbeatMs: number;
  pollMs: number;
  flushMs: number;
  promptFormat: "oasst" | "chatml";
  useStopSequences: boolean;
};

export type WorkerHooks = {
  log?: (message: string) => void;
  onJob?: (outcome: JobOutcome, timings: JobTimings) => void;
  /** How to wait for new jobs; detected from the database when not given (the benchmark compares both). */
  wakeups?: QueueWakeups;
};

const SWEEP_EVERY_MS = 2_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

export class InferenceWorker {
  id: string | null = null;
  private readonly draining = new AbortController();
  private readonly hardStop = new AbortController();
  private slots: Promise<void>[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private lastSweepAt = 0;
  private sweeping = false;
  private readonly log: (message: string) => void;
  private wakeups: QueueWakeups = POLLING_WAKEUPS;

  constructor(
    private readonly db: Database,
    private readonly engine: Engine,
    private readonly settings: WorkerSettings,
    private readonly hooks: WorkerHooks = {},
  ) {
    const log = hooks.log ?? ((message: string) => console.log(message));
    this.log = (message) => log(`[worker ${settings.name}] ${message}`);
  }

  async start(): Promise<void> {
    const { settings } = this;
    this.wakeups = this.hooks.wakeups ?? (await getQueueWakeups(this.db));
    this.id = await registerWorker(this.db, { name: settings.name, engine: this.engine.kind, models: settings.models, hostname: hostname() });
    this.log(
      `registered as ${this.id}: ${this.engine.kind} engine, models ${settings.models.join(", ")}, ${settings.concurrency} slot(s), ` +
        (this.wakeups.mode === "notify" ? "woken by LISTEN/NOTIFY" : `polling every ${settings.pollMs} ms`),
    );
    this.heartbeat = setInterval(() => {
      heartbeatWorker(this.db, this.id!, this.draining.signal.aborted ? "draining" : "online").catch((error: unknown) =>
        this.log(`heartbeat failed: ${(error as Error).message}`),
      );
    }, settings.heartbeatMs);
    this.slots = Array.from({ length: settings.concurrency }, (_, slot) => this.runSlot(slot));
  }

  /** Stops claiming; waits up to `graceMs` for running jobs, then gives them back. Second call: give back at once. */
  async stop(graceMs: number): Promise<void> {
    if (this.draining.signal.aborted) {
      this.hardStop.abort();
      return;
    }
    this.draining.abort();
    this.log(`shutting down: finishing running jobs (up to ${Math.round(graceMs / 1000)} s)`);
    if (this.id) await heartbeatWorker(this.db, this.id, "draining").catch(() => {});
    const grace = setTimeout(() => this.hardStop.abort(), graceMs);
    await Promise.all(this.slots);
    clearTimeout(grace);
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.id) await markWorkerOffline(this.db, this.id).catch(() => {});
    this.log("stopped");
  }

  private async runSlot(slot: number): Promise<void> {
    let failures = 0;
    let engineFailures = 0;
    // Opened before the first claim: a job queued between an empty claim and the wait still wakes the slot.
    const arrivals = this.wakeups.watch({ models: this.settings.models });
    while (!this.draining.signal.aborted) {
      try {
        await this.maybeSweep();
        const claimedAt = performance.timeOrigin + performance.now();
        const job = await claimJob(this.db, { workerId: this.id!, models: this.settings.models, leaseMs: this.settings.leaseMs });
        failures = 0;
        if (!job) {
          // Notified: sleep until a job for our models arrives (and wake for the sweep now and then). Polling: jitter
          // keeps idle workers from polling in lockstep.
          const wait = this.wakeups.mode === "notify" ? SWEEP_EVERY_MS : this.settings.pollMs * (0.75 + Math.random() * 0.5);
          await arrivals.wait(wait, this.draining.signal);
          continue;
        }
        this.log(`slot ${slot} claimed job ${job.jobId} (attempt ${job.attempt}, model ${job.modelConfigName})`);
        let timings: JobTimings | null = null;
        const outcome = await runJob(
          { db: this.db, engine: this.engine, settings: this.settings, hardStop: this.hardStop.signal, log: this.log, onTimings: (t) => (timings = t) },
          job,
          claimedAt,
        );
        if (timings) this.hooks.onJob?.(outcome, timings);
        // Our backend just failed a job: wait before the next claim (1 s, 2 s, 4 s … 30 s) instead of failing
        // every job in the queue; other workers may take the requeued job meanwhile.
        engineFailures = outcome === "requeued" ? engineFailures + 1 : 0;
        if (engineFailures > 0) await sleep(Math.min(30_000, 1_000 * 2 ** (engineFailures - 1)), this.draining.signal);
      } catch (error) {
        // The database is unreachable or restarting: back off, keep the process alive.
        failures++;
        this.log(`slot ${slot}: ${(error as Error).message}; retrying`);
        await sleep(Math.min(5_000, 200 * 2 ** failures), this.draining.signal);
      }
    }
    arrivals.close();
  }

  private async maybeSweep(): Promise<void> {
    if (this.sweeping || Date.now() - this.lastSweepAt < SWEEP_EVERY_MS) return;
    this.sweeping = true;
    this.lastSweepAt = Date.now();
    try {
      const result = await sweepQueue(this.db);
      if (result.timedOut + result.requeued + result.failed + result.stopped > 0) this.log(`sweep: ${JSON.stringify(result)}`);
    } finally {
      this.sweeping = false;
    }
  }
}
