import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cachedStats, flaggedMessages, jobRuns, messageEmbeddings, messageToxicity, trollStats, userStats } from "@/server/db/schema";
import { type FakeModelServer, startFakeModelServer } from "@/server/domain/embeddings/fake-model-server.test-helper";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { Contributor } from "@/test/task-driver";
import { JOBS } from "./functions";
import { refreshLeaderboardJobs } from "./functions/refresh-leaderboard";
import { JobRuntime } from "./runtime";
import { silentLogger, testJobDeps } from "./test-deps.test-helper";

/** The embedded default: no Inngest, the same job bodies run in this process. */
const t = setupTestDatabase();
let server: FakeModelServer;
let writer: Contributor;
beforeAll(async () => {
  server = await startFakeModelServer();
  writer = await Contributor.create(t.db, testTreeDeps(), "Writer");
});
afterAll(() => server.close());

const runtimeWith = (overrides: Partial<ConstructorParameters<typeof JobRuntime>[0]> = {}) =>
  new JobRuntime({ deps: testJobDeps(t.db, { url: server.url }), jobs: JOBS, inngest: null, retryDelayMs: () => 5, logger: silentLogger, ...overrides });

async function submitPrompt(text: string, lang: string, author: Contributor = writer) {
  const task = await author.request("initial_prompt", lang);
  await author.ack(task);
  return (await author.caller.tasks.submitReply({ taskId: task.id, text })).messageId;
}

describe("message/created without Inngest", () => {
  it("scores toxicity and stores the embedding after the caller has moved on", async () => {
    const runtime = runtimeWith();
    const messageId = await submitPrompt("I hate this so much", "ia");
    await runtime.emitMessageCreated({ messageId });
    // emit returns before any job ran: the work starts on the next turn of the event loop.
    expect(await t.db.select().from(messageToxicity).where(eq(messageToxicity.messageId, messageId))).toEqual([]);
    await runtime.drain();
    expect(await t.db.select().from(messageToxicity).where(eq(messageToxicity.messageId, messageId))).toMatchObject([{ label: "toxic" }]);
    expect(await t.db.select().from(messageEmbeddings).where(eq(messageEmbeddings.messageId, messageId))).toHaveLength(1);
    expect(await t.db.select().from(flaggedMessages).where(eq(flaggedMessages.messageId, messageId))).toHaveLength(1);
  });

  it("retries a failing step with backoff, like Inngest", async () => {
    const runtime = runtimeWith({ deps: testJobDeps(t.db, { url: server.url, embeddings: null }) });
    const messageId = await submitPrompt("A calm question about tea", "ib");
    const before = server.requests.length;
    server.failNext(2, 503);
    await runtime.emitMessageCreated({ messageId });
    await runtime.drain();
    expect(server.requests.length - before).toBe(3);
    expect(await t.db.select().from(messageToxicity).where(eq(messageToxicity.messageId, messageId))).toMatchObject([{ label: "non-toxic" }]);
  });

  it("sends the event to Inngest when configured, and runs it here if sending fails", async () => {
    const send = vi.fn().mockResolvedValue({ ids: ["x"] });
    const messageId = await submitPrompt("Some hate in here", "ic");
    const viaInngest = runtimeWith({ inngest: { send } });
    await viaInngest.emitMessageCreated({ messageId });
    await viaInngest.drain();
    expect(send).toHaveBeenCalledWith({ name: "message/created", data: { messageId } });
    expect(await t.db.select().from(messageToxicity).where(eq(messageToxicity.messageId, messageId))).toEqual([]);

    const broken = runtimeWith({ inngest: { send: () => Promise.reject(new Error("fetch failed")) } });
    await broken.emitMessageCreated({ messageId });
    await broken.drain();
    expect(await t.db.select().from(messageToxicity).where(eq(messageToxicity.messageId, messageId))).toHaveLength(1);
  });
});

describe("crons without Inngest", () => {
  it("run the jobs due this minute", async () => {
    const runtime = runtimeWith();
    // 00:00 UTC: the day leaderboard (every 5 min), the lottery (every 10 min), the chat queue sweep and the search
    // indexer (every minute) are due, the rest are not.
    const started = runtime.tick(new Date("2030-01-01T00:00:00Z"));
    expect(started).toHaveLength(4);
    await runtime.drain();
    expect(await t.db.select().from(userStats).where(eq(userStats.timeFrame, "day"))).toMatchObject([{ userId: writer.id, prompts: 3 }]);
    expect(await t.db.select().from(userStats).where(eq(userStats.timeFrame, "total"))).toEqual([]);
  });

  it("run the start-up jobs once the scheduler starts, then stop cleanly", async () => {
    const runtime = runtimeWith();
    const scheduler = runtime.startScheduler({ startDelayMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await scheduler.stop();
    const frames = (await t.db.select().from(userStats)).map((row) => row.timeFrame).sort();
    expect(frames).toEqual(["day", "month", "total", "week"]);
    expect(await t.db.select().from(trollStats)).toHaveLength(4);
    expect((await t.db.select().from(cachedStats)).map((row) => row.name)).toContain("contributions_by_day");
  });

  it("do not start a job that is still running here", async () => {
    const runtime = runtimeWith();
    const day = refreshLeaderboardJobs[0]!;
    const [first, second] = [runtime.runCron(day), runtime.runCron(day)];
    expect(await second).toBeNull();
    // The frame was built by the runs above: this one only moves its window (nobody's contributions left it).
    expect(await first).toMatchObject({ timeFrame: "day", recomputed: 0 });
    await runtime.drain();
  });
});

describe("message/created with every message job off (no model configured, the default)", () => {
  // Last in the file and with their own author: the cron tests above count the writer's rows alone.
  let author: Contributor;
  beforeAll(async () => {
    author = await Contributor.create(t.db, testTreeDeps(), "Quiet writer");
  });

  it("starts no job, records no run and sends no Inngest event", async () => {
    const send = vi.fn().mockResolvedValue({ ids: ["x"] });
    const messageId = await submitPrompt("Nothing to score here", "id", author);
    const before = await t.db.select().from(jobRuns);
    for (const runtime of [runtimeWith({ deps: testJobDeps(t.db) }), runtimeWith({ deps: testJobDeps(t.db), inngest: { send } })]) {
      await runtime.emitMessageCreated({ messageId });
      await runtime.drain();
    }
    expect(send).not.toHaveBeenCalled();
    expect(await t.db.select().from(jobRuns)).toEqual(before);
    expect(await t.db.select().from(messageToxicity).where(eq(messageToxicity.messageId, messageId))).toEqual([]);
  });

  it("runs only the jobs that are on", async () => {
    const messageId = await submitPrompt("Only the embedding, please", "ie", author);
    const runsPerJob = async () => {
      const runs = await t.db.select({ jobId: jobRuns.jobId }).from(jobRuns).where(inArray(jobRuns.jobId, ["score-toxicity", "compute-embedding"]));
      return { toxicity: runs.filter((run) => run.jobId === "score-toxicity").length, embedding: runs.filter((run) => run.jobId === "compute-embedding").length };
    };
    const before = await runsPerJob();
    const runtime = runtimeWith({ deps: testJobDeps(t.db, { url: server.url, toxicity: null }) });
    await runtime.emitMessageCreated({ messageId });
    await runtime.drain();
    expect(await t.db.select().from(messageEmbeddings).where(eq(messageEmbeddings.messageId, messageId))).toHaveLength(1);
    expect(await t.db.select().from(messageToxicity).where(eq(messageToxicity.messageId, messageId))).toEqual([]);
    expect(await runsPerJob()).toEqual({ toxicity: before.toxicity, embedding: before.embedding + 1 });
  });
});
