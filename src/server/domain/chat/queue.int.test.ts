import { and, asc, count, eq, inArray } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { chatMessages, inferenceJobChunks, inferenceJobs, inferenceWorkers } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import { createChat } from "./chats";
import { type ChatConfig, DEFAULT_CHAT_CONFIG } from "./config";
import type { ReplyStreamEvent } from "./dto";
import { appendChunk, claimJob, finishJob, renewLease } from "./queue";
import { postPrompt, requestReply, stopReply } from "./replies";
import { streamReply } from "./stream";
import { sweepQueue } from "./sweep";
import { markWorkerOffline, registerWorker } from "./workers";

const t = setupTestDatabase();
const MODEL = "_lorem";
// These tests enqueue before any worker registers, as a queue with a restarting worker fleet sees it.
const config = (overrides: Partial<ChatConfig> = {}): ChatConfig => ({ ...DEFAULT_CHAT_CONFIG, streamPollMs: 20, requireLiveWorker: false, ...overrides });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A user with a chat and a first prompt, ready for replies. */
async function prompted(cfg = config()) {
  const user = await createTestUser(t.db);
  const chat = await createChat(t.db, user.id);
  const { prompt } = await postPrompt(t.db, cfg, user.id, { chatId: chat.id, parentId: null, content: "Hello" });
  return { user, chat, prompt };
}

// Each test starts with an empty queue, whatever the previous one left behind.
beforeEach(async () => {
  await t.db.update(inferenceJobs).set({ status: "cancelled" }).where(inArray(inferenceJobs.status, ["queued", "running"]));
});

async function worker(name = "w") {
  return registerWorker(t.db, { name, engine: "test", models: [MODEL], hostname: "test" });
}

async function collect(items: AsyncGenerator<{ id: string; event: ReplyStreamEvent }>) {
  const seen: { id: string; event: ReplyStreamEvent }[] = [];
  for await (const item of items) seen.push(item);
  return seen;
}

async function jobOf(messageId: string) {
  const [job] = await t.db.select().from(inferenceJobs).where(eq(inferenceJobs.chatMessageId, messageId));
  return job!;
}

describe("claiming", () => {
  it("hands each job to exactly one of many concurrent claimers", async () => {
    const cfg = config({ maxPendingPerUser: 100 });
    const { user, prompt } = await prompted(cfg);
    const replies = [];
    for (let i = 0; i < 24; i++) replies.push(await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL }));
    const workers = await Promise.all(Array.from({ length: 6 }, (_, i) => worker(`claimer-${i}`)));
    const claimed: string[] = [];
    await Promise.all(
      workers.map(async (workerId) => {
        for (let job = await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 30_000 }); job; job = await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 30_000 })) {
          claimed.push(job.chatMessageId);
        }
      }),
    );
    expect(claimed).toHaveLength(24);
    expect(new Set(claimed)).toEqual(new Set(replies.map((reply) => reply.id)));
    const states = await t.db.select({ state: chatMessages.state }).from(chatMessages).where(eq(chatMessages.parentId, prompt.id));
    expect(states.every((row) => row.state === "in_progress")).toBe(true);
  });

  it("hands over the conversation from the root to the reply's parent with the claim", async () => {
    const { user, chat, prompt } = await prompted();
    const first = await requestReply(t.db, config(), user.id, prompt.id, { modelConfigName: MODEL });
    const workerId = await worker();
    const firstJob = (await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 30_000 }))!;
    expect(firstJob.thread).toEqual([{ role: "prompter", content: "Hello" }]);
    await appendChunk(t.db, firstJob, 1, "Hi there");
    expect(await finishJob(t.db, firstJob, { content: "Hi there", stopped: false })).toBe(true);
    const { reply } = await postPrompt(t.db, config(), user.id, { chatId: chat.id, parentId: first.id, content: "And then?", reply: { modelConfigName: MODEL } });
    const job = (await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 30_000 }))!;
    expect(job.chatMessageId).toBe(reply!.id);
    expect(job.thread).toEqual([
      { role: "prompter", content: "Hello" },
      { role: "assistant", content: "Hi there" },
      { role: "prompter", content: "And then?" },
    ]);
  });

  it("claims only the worker's models, higher priority first, then oldest", async () => {
    const { user, prompt } = await prompted();
    const other = await requestReply(t.db, config(), user.id, prompt.id, { modelConfigName: "distilgpt2" });
    const first = await requestReply(t.db, config(), user.id, prompt.id, { modelConfigName: MODEL });
    const urgent = await requestReply(t.db, config(), user.id, prompt.id, { modelConfigName: MODEL });
    await t.db.update(inferenceJobs).set({ priority: 5 }).where(eq(inferenceJobs.chatMessageId, urgent.id));
    const workerId = await worker();
    const order = [];
    for (let job = await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 1000 }); job; job = await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 1000 })) {
      order.push(job.chatMessageId);
    }
    expect(order.slice(-2)).toEqual([urgent.id, first.id]);
    expect(order).not.toContain(other.id);
  });
});

describe("a worker that dies", () => {
  it("loses its job when the lease expires; another worker finishes it and streams see a reset", async () => {
    const { user, prompt } = await prompted();
    const reply = await requestReply(t.db, config(), user.id, prompt.id, { modelConfigName: MODEL });
    const [a, b] = [await worker("a"), await worker("b")];
    const jobA = (await claimJob(t.db, { workerId: a, models: [MODEL], leaseMs: 150 }))!;
    expect(await appendChunk(t.db, jobA, 1, "half an ans")).toEqual({ stopRequested: false });
    await sleep(250);
    expect(await sweepQueue(t.db)).toMatchObject({ requeued: 1 });
    const requeued = await jobOf(reply.id);
    expect(requeued).toMatchObject({ status: "queued", attempts: 1, lastSeq: 2, leaseOwner: null });
    const chunks = await t.db.select().from(inferenceJobChunks).where(eq(inferenceJobChunks.jobId, requeued.id));
    expect(chunks.map((c) => [c.seq, c.text])).toEqual([[2, ""]]);

    const jobB = (await claimJob(t.db, { workerId: b, models: [MODEL], leaseMs: 10_000 }))!;
    expect(jobB).toMatchObject({ attempt: 2, lastSeq: 2 });
    // The first worker wakes up: every write is fenced, it only learns it lost the job.
    expect(await appendChunk(t.db, jobA, 2, "zombie")).toBeNull();
    expect(await finishJob(t.db, jobA, { content: "zombie", stopped: false })).toBe(false);
    await appendChunk(t.db, jobB, 3, "A full ");
    await appendChunk(t.db, jobB, 4, "answer.");
    expect(await finishJob(t.db, jobB, { content: "A full answer.", stopped: false })).toBe(true);

    // A client that had seen chunk 1 reconnects: it is told to drop that text, then gets the new attempt.
    const events = await collect(streamReply(t.db, user.id, reply.id, { config: config(), lastEventId: "1" }));
    expect(events.map((e) => e.event.type)).toEqual(["started", "reset", "token", "token", "message"]);
    expect(events.map((e) => e.id)).toEqual(["1", "2", "3", "4", "4"]);
    expect(events[0]!.event).toEqual({ type: "started", attempt: 2 });
    expect(events.at(-1)!.event).toMatchObject({ type: "message", message: { state: "complete", content: "A full answer." } });
  });

  it("fails clearly once the attempts are used up", async () => {
    const cfg = config({ maxAttempts: 2 });
    const { user, prompt } = await prompted(cfg);
    const reply = await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL });
    const workerId = await worker();
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect((await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 50 }))!.attempt).toBe(attempt);
      await sleep(120);
      await sweepQueue(t.db, { jobId: (await jobOf(reply.id)).id });
    }
    expect(await jobOf(reply.id)).toMatchObject({ status: "failed", attempts: 2 });
    const events = await collect(streamReply(t.db, user.id, reply.id, { config: cfg }));
    expect(events.at(-1)!.event).toMatchObject({ type: "error", reason: "failed", message: { state: "aborted_by_worker" } });
    expect((events.at(-1)!.event as { error: string }).error).toMatch(/stopped responding \(2 attempts\)/);
  });
});

describe("timeouts", () => {
  it("times out a job nobody picks up, even with no worker running, and ends its stream", async () => {
    const cfg = config({ queueTimeoutMs: 300 });
    const { user, prompt } = await prompted(cfg);
    const reply = await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL });
    const started = Date.now();
    const events = await collect(streamReply(t.db, user.id, reply.id, { config: cfg }));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(events[0]!.event).toMatchObject({ type: "queued", position: 1, queueSize: 1 });
    expect(events.at(-1)!.event).toMatchObject({ type: "error", reason: "timeout", message: { state: "timeout" } });
  });

  it("never starts an overdue job at claim time, and the sweep marks it", async () => {
    const cfg = config({ queueTimeoutMs: 100 });
    const { user, prompt } = await prompted(cfg);
    const reply = await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL });
    await sleep(200);
    const workerId = await worker();
    const claimed = await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 1000 });
    expect(claimed?.chatMessageId).not.toBe(reply.id);
    await sweepQueue(t.db);
    expect(await jobOf(reply.id)).toMatchObject({ status: "timed_out" });
  });
});

describe("caps", () => {
  it("answers 'busy' when the queue is full and writes nothing, not even the prompt sent with it", async () => {
    const cfg = config({ queueMaxSize: 1 });
    const { user, prompt, chat } = await prompted(cfg);
    await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL });
    const before = (await t.db.select({ n: count() }).from(chatMessages))[0]!.n;
    const busy = await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL }).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(AppError);
    expect(busy).toMatchObject({ code: "CHAT_QUEUE_BUSY", trpcCode: "SERVICE_UNAVAILABLE", message: "The server is currently busy. Please try again later." });

    const other = await createTestUser(t.db);
    const otherChat = await createChat(t.db, other.id);
    await expect(postPrompt(t.db, cfg, other.id, { chatId: otherChat.id, parentId: null, content: "Hi", reply: { modelConfigName: MODEL } })).rejects.toMatchObject({
      code: "CHAT_QUEUE_BUSY",
    });
    expect((await t.db.select({ n: count() }).from(chatMessages))[0]!.n).toBe(before);
    expect(chat.id).toBeDefined();
  });

  it("stops counting replies past their deadline against either cap, with no worker or stream running (issue 12 #3)", async () => {
    const cfg = config({ maxPendingPerUser: 2, queueMaxSize: 3 });
    const { user, prompt } = await prompted(cfg);
    const stale = [];
    for (let i = 0; i < 2; i++) stale.push(await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL }));
    const other = await prompted(cfg);
    stale.push(await requestReply(t.db, cfg, other.user.id, other.prompt.id, { modelConfigName: MODEL }));
    // Both caps are reached; then every one of those replies passes its deadline unnoticed (nobody sweeps).
    await expect(requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL })).rejects.toMatchObject({ code: "CHAT_TOO_MANY_PENDING" });
    await t.db.update(inferenceJobs).set({ queueDeadlineAt: new Date(Date.now() - 1_000) }).where(inArray(inferenceJobs.chatMessageId, stale.map((m) => m.id)));

    const fresh = await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL });
    expect(fresh.state).toBe("pending");
    for (const message of stale) expect(await jobOf(message.id)).toMatchObject({ status: "timed_out" });
    const states = await t.db.select({ state: chatMessages.state }).from(chatMessages).where(inArray(chatMessages.id, stale.map((m) => m.id)));
    expect(states.every((row) => row.state === "timeout")).toBe(true);
  });

  it("is swept by the app's own per-minute job too, with no request, worker or stream", async () => {
    const cfg = config();
    const { user, prompt } = await prompted(cfg);
    const stale = await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL });
    await t.db.update(inferenceJobs).set({ queueDeadlineAt: new Date(Date.now() - 1_000) }).where(eq(inferenceJobs.chatMessageId, stale.id));
    const { sweepChatQueueJob } = await import("@/server/inngest/functions/sweep-chat-queue");
    expect(sweepChatQueueJob.trigger.cron).toBe("* * * * *");
    const result = await sweepChatQueueJob.run({
      step: { run: (_id, work) => work() },
      deps: { db: () => t.db, toxicity: () => null, embeddings: () => null, treeDeps: () => { throw new Error("unused"); } },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    expect(result).toMatchObject({ timedOut: 1 });
    expect(await jobOf(stale.id)).toMatchObject({ status: "timed_out" });
  });

  it("holds the per-user cap under concurrent requests", async () => {
    const cfg = config({ maxPendingPerUser: 4, queueMaxSize: 1_000 });
    const { user, prompt } = await prompted(cfg);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(4);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.every((r) => (r.reason as AppError).code === "CHAT_TOO_MANY_PENDING")).toBe(true);
    const written = await t.db.select({ n: count() }).from(chatMessages).where(and(eq(chatMessages.parentId, prompt.id)));
    expect(written[0]!.n).toBe(4);
  });
});

describe("auto-cancel (issue 11 #3, OA initiate_assistant_message)", () => {
  it("cancels the user's replies still queued under other messages, in any chat; drafts, running replies and other users' stay", async () => {
    const cfg = config({ maxPendingPerUser: 10 });
    const { user, prompt } = await prompted(cfg);
    const elsewhere = await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL });
    const writing = await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: MODEL });
    await t.db.update(inferenceJobs).set({ priority: 9 }).where(eq(inferenceJobs.chatMessageId, writing.id));
    const job = (await claimJob(t.db, { workerId: await worker(), models: [MODEL], leaseMs: 10_000 }))!;
    expect(job.chatMessageId).toBe(writing.id);
    const stranger = await prompted(cfg);
    const theirs = await requestReply(t.db, cfg, stranger.user.id, stranger.prompt.id, { modelConfigName: MODEL });

    // The same user asks in another chat: the reply still waiting in the first chat is cancelled, with a reason.
    const second = await createChat(t.db, user.id);
    const { reply: fresh } = await postPrompt(t.db, cfg, user.id, { chatId: second.id, parentId: null, content: "New topic", reply: { modelConfigName: MODEL } });
    const drafts = [await requestReply(t.db, cfg, user.id, fresh!.parentId!, { modelConfigName: MODEL })];
    expect(await jobOf(elsewhere.id)).toMatchObject({ status: "cancelled" });
    const [cancelled] = await t.db.select().from(chatMessages).where(eq(chatMessages.id, elsewhere.id));
    expect(cancelled).toMatchObject({ state: "cancelled", error: "Cancelled: a newer reply was requested elsewhere." });
    expect(await jobOf(writing.id)).toMatchObject({ status: "running" });
    expect(await jobOf(theirs.id)).toMatchObject({ status: "queued" });
    for (const draft of [fresh!, ...drafts]) expect(await jobOf(draft.id)).toMatchObject({ status: "queued" });
    // Its stream ends with the reason.
    const events = await collect(streamReply(t.db, user.id, elsewhere.id, { config: cfg }));
    expect(events.at(-1)!.event).toMatchObject({ type: "error", reason: "cancelled", error: "Cancelled: a newer reply was requested elsewhere." });
  });
});

describe("model availability (issue 11 #2)", () => {
  it("refuses at once, writing nothing, a reply for a model no live worker serves", async () => {
    const cfg = config({ requireLiveWorker: true, workerStaleMs: 30_000 });
    const { user, prompt } = await prompted(cfg);
    const chat = await createChat(t.db, user.id);
    const before = (await t.db.select({ n: count() }).from(chatMessages))[0]!.n;
    const refuse = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject({ code: "CHAT_MODEL_UNAVAILABLE", trpcCode: "SERVICE_UNAVAILABLE" });
    await refuse(requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: "OA_SFT_Pythia_12B" }));
    // A worker for another model, a stale one and an offline one do not count.
    await registerWorker(t.db, { name: "other", engine: "test", models: ["distilgpt2"], hostname: "test" });
    const stale = await registerWorker(t.db, { name: "stale", engine: "test", models: ["OA_SFT_Pythia_12B"], hostname: "test" });
    await t.db.update(inferenceWorkers).set({ lastHeartbeatAt: new Date(Date.now() - 60_000) }).where(eq(inferenceWorkers.id, stale));
    const offline = await registerWorker(t.db, { name: "offline", engine: "test", models: ["OA_SFT_Pythia_12B"], hostname: "test" });
    await markWorkerOffline(t.db, offline);
    await refuse(requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: "OA_SFT_Pythia_12B" }));
    await refuse(postPrompt(t.db, cfg, user.id, { chatId: chat.id, parentId: null, content: "again", reply: { modelConfigName: "OA_SFT_Pythia_12B" } }));
    expect((await t.db.select({ n: count() }).from(chatMessages))[0]!.n).toBe(before);

    await registerWorker(t.db, { name: "live", engine: "test", models: ["OA_SFT_Pythia_12B"], hostname: "test" });
    expect((await requestReply(t.db, cfg, user.id, prompt.id, { modelConfigName: "OA_SFT_Pythia_12B" })).state).toBe("pending");
  });
});

describe("stop", () => {
  it("tells the worker through its lease; the reply keeps the text written so far", async () => {
    const { user, prompt } = await prompted();
    const reply = await requestReply(t.db, config(), user.id, prompt.id, { modelConfigName: MODEL });
    const job = (await claimJob(t.db, { workerId: await worker(), models: [MODEL], leaseMs: 10_000 }))!;
    await appendChunk(t.db, job, 1, "Once upon");
    await stopReply(t.db, user.id, reply.id);
    expect(await renewLease(t.db, job)).toEqual({ stopRequested: true });
    expect(await appendChunk(t.db, job, 2, " a time")).toEqual({ stopRequested: true });
    await finishJob(t.db, job, { content: "Once upon a time", stopped: true });
    const events = await collect(streamReply(t.db, user.id, reply.id, { config: config() }));
    expect(events.map((e) => e.event.type)).toEqual(["started", "token", "token", "message"]);
    expect(events.at(-1)!.event).toMatchObject({ message: { state: "complete", stopped: true, content: "Once upon a time" } });
  });

  it("keeps the partial text when the worker died after the stop request", async () => {
    const { user, prompt } = await prompted();
    const reply = await requestReply(t.db, config(), user.id, prompt.id, { modelConfigName: MODEL });
    const job = (await claimJob(t.db, { workerId: await worker(), models: [MODEL], leaseMs: 100 }))!;
    await appendChunk(t.db, job, 1, "Partial");
    await stopReply(t.db, user.id, reply.id);
    await sleep(200);
    expect(await sweepQueue(t.db, { jobId: job.jobId })).toMatchObject({ stopped: 1 });
    const [message] = await t.db.select().from(chatMessages).where(eq(chatMessages.id, reply.id)).orderBy(asc(chatMessages.createdAt));
    expect(message).toMatchObject({ state: "complete", content: "Partial" });
  });
});
