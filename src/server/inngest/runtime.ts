import { parseCron } from "./cron";
import { MESSAGE_CREATED, type MessageCreated } from "./events";
import { type InProcessOptions, runJobInProcess } from "./in-process";
import { type CronJob, type EventJob, isCronJob, type Job, type JobDeps, type JobLogger } from "./job";

export type EventSender = { send: (event: { name: string; data: Record<string, unknown> }) => Promise<unknown> };

export type JobRuntimeOptions = InProcessOptions & {
  deps: JobDeps;
  jobs: readonly Job[];
  /** Inngest, when configured: events go there and Inngest runs the crons. Null: everything runs here. */
  inngest: EventSender | null;
};

/**
 * Dispatches background work: to Inngest when it is configured, otherwise in this process — events right after
 * the caller's response (on the next turn of the event loop), crons on a minute timer. In-process cron runs
 * mirror Inngest's flow control: a job already running here is not started twice, and jobs sharing a static
 * concurrency key (the stats refreshes) queue behind each other; the advisory lock in each body covers other
 * processes.
 */
export class JobRuntime {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly runningCrons = new Set<string>();
  private readonly keyQueues = new Map<string, Promise<unknown>>();
  private readonly schedules: { job: CronJob; matches: (date: Date) => boolean }[];
  private readonly logger: JobLogger;

  constructor(private readonly options: JobRuntimeOptions) {
    this.logger = options.logger ?? console;
    this.schedules = options.jobs.filter(isCronJob).map((job) => ({ job, matches: parseCron(job.trigger.cron).matches }));
  }

  /**
   * Sends message/created; never throws (the message is stored either way, a failed job is logged). Only jobs that
   * are on take part: with every message job off (no model configured, the default) a new message costs nothing
   * here, not even an Inngest event.
   */
  async emitMessageCreated(data: MessageCreated): Promise<void> {
    const jobs = this.options.jobs.filter(
      (job): job is EventJob => !isCronJob(job) && job.trigger.event === MESSAGE_CREATED && job.offReason(this.options.deps) === null,
    );
    if (jobs.length === 0) return;
    if (this.options.inngest) {
      try {
        await this.options.inngest.send({ name: MESSAGE_CREATED, data });
        return;
      } catch (error) {
        this.logger.error(`[jobs] could not send ${MESSAGE_CREATED} to Inngest, running it here instead:`, error);
      }
    }
    for (const job of jobs) {
      this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => runJobInProcess(job, this.options.deps, data, this.options)), job.id);
    }
  }

  /** Runs a cron job now unless it is already running or queued here; resolves with its result (or null if skipped). */
  runCron(job: CronJob): Promise<unknown> {
    if (this.runningCrons.has(job.id)) return Promise.resolve(null);
    this.runningCrons.add(job.id);
    const key = job.concurrency.find((option) => option.key?.startsWith('"'))?.key;
    const previous = (key && this.keyQueues.get(key)) || Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => runJobInProcess(job, this.options.deps, undefined, this.options))
      .finally(() => this.runningCrons.delete(job.id));
    if (key) this.keyQueues.set(key, run.catch(() => undefined));
    return this.track(run, job.id);
  }

  /** Starts every cron job whose schedule matches this minute (UTC). */
  tick(now: Date): Promise<unknown>[] {
    return this.schedules.filter(({ matches }) => matches(now)).map(({ job }) => this.runCron(job));
  }

  /**
   * The in-process scheduler: jobs marked `runOnStart` once after `startDelayMs` (like OA, so a fresh install has
   * leaderboards and statistics), then every cron on the minute. Timers are unref'd: they never keep a process alive.
   */
  startScheduler(options: { startDelayMs?: number } = {}): { stop: () => Promise<void> } {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const scheduleNextMinute = () => {
      const now = Date.now();
      const next = Math.floor(now / 60_000) * 60_000 + 60_000;
      timer = setTimeout(() => {
        if (stopped) return;
        this.tick(new Date(next));
        scheduleNextMinute();
      }, next - now + 50);
      timer.unref();
    };
    const startup = setTimeout(() => {
      for (const { job } of this.schedules) if (job.trigger.runOnStart && !stopped) void this.runCron(job);
    }, options.startDelayMs ?? 10_000);
    startup.unref();
    scheduleNextMinute();
    return {
      stop: async () => {
        stopped = true;
        clearTimeout(startup);
        clearTimeout(timer);
        await this.drain();
      },
    };
  }

  /** Waits until every in-process run started so far has finished (tests, graceful shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(run: Promise<T>, jobId: string): Promise<T> {
    const tracked = run.catch((error: unknown) => {
      this.logger.error(`[jobs] ${jobId} failed:`, error);
      return null as T;
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return tracked;
  }
}
