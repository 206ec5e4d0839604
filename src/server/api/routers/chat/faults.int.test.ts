import { asc, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import superjson from "superjson";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectDatabase, type Database, type DatabaseConnection } from "@/server/db/client";
import * as schema from "@/server/db/schema";
import { chatMessages, inferenceJobChunks, inferenceJobs } from "@/server/db/schema";
import { createChat } from "@/server/domain/chat/chats";
import { DEFAULT_CHAT_CONFIG } from "@/server/domain/chat/config";
import type { ReplyStreamEvent } from "@/server/domain/chat/dto";
import { appendChunk, claimJob, type ClaimedJob, finishJob } from "@/server/domain/chat/queue";
import { postPrompt } from "@/server/domain/chat/replies";
import { sweepQueue } from "@/server/domain/chat/sweep";
import { registerWorker } from "@/server/domain/chat/workers";
import { OpenAiCompatibleEngine } from "@/worker/engines/openai-compatible";
import { readSse } from "@/worker/engines/sse";
import { type MockOpenAiServer, startMockOpenAiServer } from "@/worker/test-support/mock-openai-server";
import { InferenceWorker } from "@/worker/worker";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import { startTrpcHttpServer } from "@/test/trpc-http-server";

/**
 * Fault suite for the chat path (issue 12, "Fault suite"): a worker that dies at each step of a job, an app process
 * restarted in the middle of a stream, and two app processes with two workers on one database. After each: the
 * reply ends complete (or failed with a reason), its text is written once, and a client that resumes with its last
 * event id ends up with exactly the stored text.
 */
const t = setupTestDatabase();
const MODEL = "_lorem";
const config = { ...DEFAULT_CHAT_CONFIG, requireLiveWorker: false, maxPendingPerUser: 100 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let mock: MockOpenAiServer;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  mock = await startMockOpenAiServer();
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(async () => {
  Object.assign(mock.behaviour, { tokens: ["Hello", " there", "!"], tokenDelayMs: 0, firstTokenDelayMs: 0 });
  await t.db.update(inferenceJobs).set({ status: "cancelled" }).where(inArray(inferenceJobs.status, ["queued", "running"]));
});

async function ask(content = "Tell me") {
  const user = await createTestUser(t.db);
  const chat = await createChat(t.db, user.id);
  const { reply } = await postPrompt(t.db, config, user.id, { chatId: chat.id, parentId: null, content, reply: { modelConfigName: MODEL } });
  return { user, reply: reply! };
}

/** A worker process's own pool and loop (as `npm run worker` runs it), stopped after the test. */
async function startWorker(name: string, leaseMs = 5_000) {
  const pool = connectDatabase(t.url, { max: 3 });
  const worker = new InferenceWorker(
    pool.db,
    new OpenAiCompatibleEngine({ baseUrl: mock.baseUrl, model: "mock", api: "chat", timeoutMs: 5_000 }),
    { name, models: [MODEL], concurrency: 1, leaseMs, heartbeatMs: 1_000, pollMs: 30, flushMs: 20, promptFormat: "oasst", useStopSequences: true },
    { log: () => {} },
  );
  await worker.start();
  cleanup.push(async () => {
    await worker.stop(0);
    await pool.close();
  });
  return worker;
}

/** A connection that can be cut like a crashed process's: its open transaction is rolled back by the server. */
function crashableConnection() {
  const client = postgres(t.url, { max: 1, onnotice: () => {}, connection: { TimeZone: "UTC" } });
  const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Database;
  return { db, crash: () => client.end({ timeout: 0 }) };
}

/** An app process: its own pool behind the tRPC endpoint, as the Next route serves it. */
async function startApp(): Promise<{ url: string; stop: () => Promise<void> }> {
  const pool: DatabaseConnection = connectDatabase(t.url, { max: 4 });
  const server = await startTrpcHttpServer(pool.db);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
    await pool.close();
  };
  cleanup.push(stop);
  return { url: server.url, stop };
}

type Seen = { id: string | null; event: ReplyStreamEvent };

/** Reads the reply's SSE stream from one app process until `until` says stop or the stream ends (or drops). */
async function readStream(app: string, userId: string, messageId: string, options: { lastEventId?: string | null; until?: (seen: Seen[]) => boolean } = {}) {
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ messageId })));
  const controller = new AbortController();
  const headers: Record<string, string> = { "x-test-user": userId, accept: "text/event-stream" };
  if (options.lastEventId) headers["last-event-id"] = options.lastEventId;
  const response = await fetch(`${app}/chat.streamReply?input=${input}`, { headers, signal: controller.signal });
  const seen: Seen[] = [];
  try {
    for await (const event of readSse(response.body!)) {
      if (event.event !== "message") continue;
      seen.push({ id: event.id, event: superjson.deserialize(JSON.parse(event.data)) as ReplyStreamEvent });
      if (options.until?.(seen)) break;
    }
  } catch {
    // the app process went away mid-stream
  }
  controller.abort();
  return seen;
}

/** What a client shows: tokens appended, a `reset` dropping the text of an abandoned attempt. */
function shown(events: { event: ReplyStreamEvent }[], start = ""): string {
  let text = start;
  for (const { event } of events) {
    if (event.type === "reset") text = "";
    if (event.type === "token") text += event.text;
  }
  return text;
}

async function stored(messageId: string) {
  const [message] = await t.db.select().from(chatMessages).where(eq(chatMessages.id, messageId));
  const [job] = await t.db.select().from(inferenceJobs).where(eq(inferenceJobs.chatMessageId, messageId));
  const chunks = await t.db.select().from(inferenceJobChunks).where(eq(inferenceJobChunks.jobId, job!.id)).orderBy(asc(inferenceJobChunks.seq));
  return { message: message!, job: job!, chunks };
}

async function until(check: () => Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(25);
  }
}

describe("a worker killed at each step of a job", () => {
  /**
   * A dead worker is simulated where it matters: its lease stops being renewed and, where it died inside a
   * transaction, that transaction never commits (its connection is cut). A live worker takes over after the lease.
   */
  const steps: { step: string; die: (job: ClaimedJob, db: Database) => Promise<void>; attempts: number }[] = [
    { step: "claimed (nothing generated yet)", die: async () => {}, attempts: 2 },
    {
      step: "generating (two chunks written)",
      die: async (job, db) => {
        await appendChunk(db, job, job.lastSeq + 1, "Half an ");
        await appendChunk(db, job, job.lastSeq + 2, "answer");
      },
      attempts: 2,
    },
    {
      step: "writing (killed inside the chunk's transaction)",
      die: async (job) => {
        await appendChunk(t.db, job, job.lastSeq + 1, "Kept until ");
        const connection = crashableConnection();
        const writing = connection.db.transaction(async (tx) => {
          await appendChunk(tx, job, job.lastSeq + 2, "never committed");
          await sleep(60_000);
        });
        await sleep(100);
        await connection.crash();
        await writing.catch(() => {});
      },
      attempts: 2,
    },
    {
      step: "finishing (killed inside the final transaction)",
      die: async (job) => {
        await appendChunk(t.db, job, job.lastSeq + 1, "Almost done");
        const connection = crashableConnection();
        const finishing = connection.db.transaction(async (tx) => {
          await finishJob(tx, job, { content: "Almost done", stopped: false });
          await sleep(60_000);
        });
        await sleep(100);
        await connection.crash();
        await finishing.catch(() => {});
      },
      attempts: 2,
    },
  ];

  for (const { step, die, attempts } of steps) {
    it(`${step}: the job is taken over and written once`, async () => {
      const { user, reply } = await ask();
      const deadId = await registerWorker(t.db, { name: "dying", engine: "test", models: [MODEL], hostname: "test" });
      const job = (await claimJob(t.db, { workerId: deadId, models: [MODEL], leaseMs: 300 }))!;
      await die(job, t.db);
      // Another worker arrives; its sweep gives the expired job back to the queue and it starts over.
      await startWorker("rescuer");
      await until(async () => (await stored(reply.id)).job.status === "done");
      const after = await stored(reply.id);
      expect(after.message).toMatchObject({ state: "complete", content: "Hello there!" });
      expect(after.job.attempts).toBe(attempts);
      // The text after the last reset marker is exactly the reply: nothing from the dead attempt, nothing twice.
      const lastReset = after.chunks.findLastIndex((chunk) => chunk.text === "");
      expect(after.chunks.slice(lastReset + 1).map((chunk) => chunk.text).join("")).toBe("Hello there!");
      // A client that followed from the start sees the same.
      const app = await startApp();
      expect(shown(await readStream(app.url, user.id, reply.id))).toBe("Hello there!");
    });
  }

  it("finished and then died before reporting: the reply stays complete and is not generated again", async () => {
    const { reply } = await ask();
    const deadId = await registerWorker(t.db, { name: "dying", engine: "test", models: [MODEL], hostname: "test" });
    const job = (await claimJob(t.db, { workerId: deadId, models: [MODEL], leaseMs: 100 }))!;
    await appendChunk(t.db, job, job.lastSeq + 1, "Done.");
    await finishJob(t.db, job, { content: "Done.", stopped: false });
    await sleep(200);
    expect(await sweepQueue(t.db)).toMatchObject({ requeued: 0, failed: 0 });
    expect((await stored(reply.id)).job).toMatchObject({ status: "done", attempts: 1 });
    expect((await stored(reply.id)).message).toMatchObject({ state: "complete", content: "Done." });
  });
});

describe("app processes", () => {
  it("a stream survives an app restart: the client resumes on the new process from its last event id", async () => {
    Object.assign(mock.behaviour, { tokens: Array.from({ length: 30 }, (_, i) => `w${i} `), tokenDelayMs: 30 });
    const { user, reply } = await ask();
    await startWorker("steady", 10_000);
    const first = await startApp();
    const before = await readStream(first.url, user.id, reply.id, { until: (seen) => seen.filter((s) => s.event.type === "token").length >= 3 });
    await first.stop(); // the process goes away with its pool; the worker keeps writing
    const second = await startApp();
    const lastEventId = before.at(-1)!.id;
    const after = await readStream(second.url, user.id, reply.id, { lastEventId });
    expect(after.at(-1)!.event).toMatchObject({ type: "message", message: { state: "complete" } });
    const text = shown(after, shown(before));
    expect(text).toBe((await stored(reply.id)).message.content);
    expect(text).toBe(Array.from({ length: 30 }, (_, i) => `w${i}`).join(" "));
  });

  it("two app processes and two workers on one database: a stream opened on one is resumed on the other", async () => {
    Object.assign(mock.behaviour, { tokens: Array.from({ length: 20 }, (_, i) => `t${i} `), tokenDelayMs: 30 });
    const [a, b] = [await startApp(), await startApp()];
    await Promise.all([startWorker("one", 10_000), startWorker("two", 10_000)]);
    const asks = await Promise.all([ask("first"), ask("second"), ask("third"), ask("fourth")]);
    const results = await Promise.all(
      asks.map(async ({ user, reply }, index) => {
        const [open, resume] = index % 2 === 0 ? [a, b] : [b, a];
        const before = await readStream(open.url, user.id, reply.id, { until: (seen) => seen.filter((s) => s.event.type === "token").length >= 2 });
        const after = await readStream(resume.url, user.id, reply.id, { lastEventId: before.at(-1)!.id });
        return { reply, text: shown(after, shown(before)), last: after.at(-1)!.event };
      }),
    );
    for (const { reply, text, last } of results) {
      expect(last).toMatchObject({ type: "message", message: { state: "complete" } });
      expect(text).toBe((await stored(reply.id)).message.content);
      expect(text).toBe(Array.from({ length: 20 }, (_, i) => `t${i}`).join(" "));
    }
    // Every job was claimed once, by one of the two workers.
    const jobs = await t.db.select().from(inferenceJobs).where(inArray(inferenceJobs.chatMessageId, asks.map((x) => x.reply.id)));
    expect(jobs.every((job) => job.attempts === 1 && job.status === "done")).toBe(true);
  });
});
