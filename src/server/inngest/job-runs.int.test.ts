import { InngestTestEngine } from "@inngest/test";
import { asc, eq } from "drizzle-orm";
import { Inngest } from "inngest";
import { describe, expect, it } from "vitest";
import { jobRuns } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { JOBS } from "./functions";
import { runJobInProcess } from "./in-process";
import type { CronJob, EventJob } from "./job";
import { JOB_RUNS_KEPT, listJobRuns, withRunRecord } from "./job-runs";
import { silentLogger, testJobDeps } from "./test-deps.test-helper";
import { toInngestFunction } from "./to-inngest";

const t = setupTestDatabase();
const deps = () => testJobDeps(t.db);
const options = { retryDelayMs: () => 1, logger: silentLogger };

function cron(id: string, body: () => Promise<unknown>, retries: 0 | 1 = 0): CronJob {
  return { id, name: `Test ${id}`, retries, concurrency: [{ limit: 1 }], trigger: { cron: "* * * * *" }, run: ({ step }) => step.run("work", body) };
}
const runsOf = (jobId: string) => t.db.select().from(jobRuns).where(eq(jobRuns.jobId, jobId)).orderBy(asc(jobRuns.startedAt));

describe("job runs", () => {
  it("every job the app runs is wrapped: an in-process run of a real job leaves its row", async () => {
    const sweep = JOBS.find((job) => job.id === "sweep-chat-queue")!;
    await runJobInProcess(sweep, deps(), undefined, options);
    expect(await runsOf("sweep-chat-queue")).toMatchObject([{ outcome: "succeeded", message: null }]);
  });

  it("records success, skip (with its reason) and failure (with the error), with start and finish", async () => {
    await runJobInProcess(withRunRecord(cron("t-ok", async () => ({ rows: 3 }))), deps(), undefined, options);
    await runJobInProcess(withRunRecord(cron("t-skip", async () => ({ skipped: "another run is in progress" }))), deps(), undefined, options);
    await expect(runJobInProcess(withRunRecord(cron("t-fail", async () => { throw new Error("model API down"); }, 1)), deps(), undefined, options))
      .rejects.toThrow("model API down");
    const [ok] = await runsOf("t-ok");
    expect(ok!.outcome).toBe("succeeded");
    expect(ok!.finishedAt.getTime()).toBeGreaterThanOrEqual(ok!.startedAt.getTime());
    expect(await runsOf("t-skip")).toMatchObject([{ outcome: "skipped", message: "another run is in progress" }]);
    // Retried once inside the run: still one run, one row.
    expect(await runsOf("t-fail")).toMatchObject([{ outcome: "failed", message: "model API down" }]);
  });

  it("records event jobs and Inngest runs through the same wrapper", async () => {
    const event: EventJob = {
      id: "t-event", name: "Test event", retries: 0, concurrency: [{ limit: 1 }], trigger: { event: "message/created" }, offReason: () => null,
      run: ({ data, step }) => step.run("work", async () => ({ messageId: data.messageId })),
    };
    await runJobInProcess(withRunRecord(event), deps(), { messageId: crypto.randomUUID() }, options);
    expect(await runsOf("t-event")).toMatchObject([{ outcome: "succeeded" }]);
    const client = new Inngest({ id: "oa-test", logger: silentLogger });
    const engine = new InngestTestEngine({ function: toInngestFunction(client, withRunRecord(cron("t-inngest", async () => ({ rows: 1 }))), deps()) });
    expect((await engine.execute()).result).toEqual({ rows: 1 });
    expect(await runsOf("t-inngest")).toMatchObject([{ outcome: "succeeded" }]);
  });

  it("never retries or fails a job when its run cannot be recorded (no database configured)", async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (...parts: unknown[]) => void warnings.push(parts.join(" ")) };
    const noDatabase = { ...deps(), db: () => { throw new Error("Invalid environment variable DATABASE_URL: is missing"); } };
    // A retried step would wait a minute here: the record step must not throw.
    const slowRetries = { retryDelayMs: () => 60_000, logger };
    expect(await runJobInProcess(withRunRecord(cron("t-unrecorded", async () => ({ rows: 2 }), 1)), noDatabase, undefined, slowRetries)).toEqual({ rows: 2 });
    expect(warnings).toEqual([expect.stringContaining("could not record a run of t-unrecorded")]);
  });

  it("keeps the last runs of each job only, and lists them newest first with durations", async () => {
    const job = withRunRecord(cron("t-many", async () => ({ ok: true })));
    for (let i = 0; i < JOB_RUNS_KEPT + 3; i++) await runJobInProcess(job, deps(), undefined, options);
    expect(await runsOf("t-many")).toHaveLength(JOB_RUNS_KEPT);
    const [summary, never] = await listJobRuns(t.db, [job, cron("t-never", async () => null)], deps(), 5);
    expect(summary).toMatchObject({ jobId: "t-many", name: "Test t-many", trigger: "* * * * *" });
    expect(summary!.runs).toHaveLength(5);
    expect(summary!.runs[0]!.startedAt.getTime()).toBeGreaterThanOrEqual(summary!.runs[4]!.startedAt.getTime());
    expect(summary!.runs.every((run) => run.durationMs >= 0 && run.outcome === "succeeded")).toBe(true);
    expect(never).toMatchObject({ jobId: "t-never", runs: [] });
  });

  it("keeps no more than the last runs when several started in the same millisecond", async () => {
    const startedAt = new Date(Date.now() - 60_000);
    await t.db.insert(jobRuns).values(Array.from({ length: JOB_RUNS_KEPT + 5 }, () => ({
      id: crypto.randomUUID(), jobId: "t-ties", startedAt, finishedAt: startedAt, outcome: "succeeded" as const, message: null })));
    await runJobInProcess(withRunRecord(cron("t-ties", async () => ({ ok: true }))), deps(), undefined, options);
    const kept = await runsOf("t-ties");
    expect(kept).toHaveLength(JOB_RUNS_KEPT);
    expect(kept.at(-1)!.startedAt.getTime()).toBeGreaterThan(startedAt.getTime());
  });

  it("records nothing for a message job that is off, in-process or on Inngest, and lists it as off with its reason", async () => {
    let bodies = 0;
    const modelJob = (id: string): EventJob => withRunRecord({
      id, name: `Test ${id}`, retries: 0, concurrency: [{ limit: 1 }], trigger: { event: "message/created" },
      offReason: (jobDeps) => (jobDeps.toxicity() ? null : "the model is not configured"),
      run: ({ step }) => step.run("work", async () => ({ calls: ++bodies })),
    });
    const off = deps();
    expect(off.toxicity()).toBeNull();
    expect(await runJobInProcess(modelJob("t-off"), off, { messageId: crypto.randomUUID() }, options)).toEqual({ skipped: "the model is not configured" });
    const client = new Inngest({ id: "oa-test", logger: silentLogger });
    const engine = new InngestTestEngine({ function: toInngestFunction(client, modelJob("t-off-inngest"), off), events: [{ name: "message/created", data: { messageId: crypto.randomUUID() } }] });
    expect((await engine.execute()).result).toEqual({ skipped: "the model is not configured" });
    expect(bodies).toBe(0);
    expect(await runsOf("t-off")).toEqual([]);
    expect(await runsOf("t-off-inngest")).toEqual([]);

    const on = testJobDeps(t.db, { url: "http://127.0.0.1:9" });
    await runJobInProcess(modelJob("t-on"), on, { messageId: crypto.randomUUID() }, options);
    expect(await runsOf("t-on")).toMatchObject([{ outcome: "succeeded" }]);
    const [listedOff, listedCron] = await listJobRuns(t.db, [modelJob("t-off"), cron("t-cron", async () => null)], off);
    expect(listedOff).toMatchObject({ jobId: "t-off", off: "the model is not configured", runs: [] });
    expect(listedCron!.off).toBeNull();
    expect((await listJobRuns(t.db, [modelJob("t-on")], on))[0]).toMatchObject({ off: null, runs: [{ outcome: "succeeded" }] });
  });
});
