import { inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { connectDatabase, type Database } from "@/server/db/client";
import * as schema from "@/server/db/schema";
import { inferenceJobs } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import { createChat } from "./chats";
import { DEFAULT_CHAT_CONFIG } from "./config";
import { appendChunk, CHUNK_NOTIFY_MAX_BYTES, claimJob } from "./queue";
import { postPrompt, requestReply } from "./replies";
import { registerWorker } from "./workers";
import { streamReply } from "./stream";
import { getQueueWakeups, parseJobPayload, POLLING_WAKEUPS, type QueueWakeups } from "./wakeups";

const t = setupTestDatabase();
const MODEL = "_lorem";
const config = { ...DEFAULT_CHAT_CONFIG, requireLiveWorker: false };
/** PostgreSQL delivers notifications; the embedded server does not (stack-notes), and the probe must notice. */
const expected = process.env.DATABASE_URL ? "notify" : "poll";

describe("queue wake-ups (issue 15 #7)", () => {
  it(`detects whether notifications arrive (${expected} here), once per client`, async () => {
    const wakeups = await getQueueWakeups(t.db);
    expect(wakeups.mode).toBe(expected);
    expect(await getQueueWakeups(t.db)).toBe(wakeups);
  });

  it.runIf(expected === "notify")("wakes a worker's watch on a new job for its model, and a stream's watch on its job's progress, across connections", async () => {
    // Another process's pool: the app enqueues and writes there, the watches listen here.
    const other = connectDatabase(t.url, { max: 2 });
    try {
      const wakeups = await getQueueWakeups(t.db);
      const workerWatch = wakeups.watch({ models: [MODEL] });
      const otherModel = wakeups.watch({ models: ["distilgpt2"] });
      expect(await workerWatch.wait(50)).toBe("timeout");

      const user = await createTestUser(other.db);
      const chat = await createChat(other.db, user.id);
      const started = Date.now();
      const waiting = workerWatch.wait(5_000);
      const { prompt, reply } = await postPrompt(other.db, config, user.id, { chatId: chat.id, parentId: null, content: "Hi", reply: { modelConfigName: MODEL } });
      expect(await waiting).toBe("queue");
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await otherModel.wait(100)).toBe("timeout");

      const streamWatch = wakeups.watch({ messageId: reply!.id });
      const workerId = await registerWorker(other.db, { name: "w", engine: "test", models: [MODEL], hostname: "h" });
      const job = (await claimJob(other.db, { workerId, models: [MODEL], leaseMs: 10_000 }))!;
      // The claim changed the job: the stream's watch fired while nobody waited, and is not lost.
      expect(await streamWatch.wait(2_000)).toBe("job");
      const next = streamWatch.wait(5_000);
      await appendChunk(other.db, job, 1, "Hello");
      expect(await next).toBe("job");
      // Nothing else changed: the next wait times out instead of polling.
      expect(await streamWatch.wait(100)).toBe("timeout");
      // A second reply for the same prompt is another job: this watch does not wake for it.
      await requestReply(other.db, config, user.id, prompt.id, { modelConfigName: MODEL });
      expect(await streamWatch.wait(150)).toBe("timeout");
      for (const watch of [workerWatch, otherModel, streamWatch]) watch.close();
    } finally {
      await other.close();
    }
  });

  it.runIf(expected === "notify")("costs a waiting stream no queries at all; polling would cost dozens a second", async () => {
    // The stream's own pool, counting every statement it sends.
    let statements = 0;
    const client = postgres(t.url, { max: 2, onnotice: () => {}, debug: () => statements++ });
    const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Database;
    try {
      const user = await createTestUser(t.db);
      const chat = await createChat(t.db, user.id);
      const { reply } = await postPrompt(t.db, config, user.id, { chatId: chat.id, parentId: null, content: "Wait", reply: { modelConfigName: "OA_SFT_Pythia_12B" } });
      const quietFor = async (wakeups: QueueWakeups) => {
        const controller = new AbortController();
        const events = streamReply(db, user.id, reply!.id, { config: { ...config, streamPollMs: 50 }, signal: controller.signal, wakeups });
        expect((await events.next()).value).toMatchObject({ event: { type: "queued", position: 1 } });
        const pending = events.next();
        // The enqueue's own notification may still be on its way (delivery is asynchronous): let it land first.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const before = statements;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const spent = statements - before;
        controller.abort();
        await pending;
        await events.return(undefined);
        return spent;
      };
      expect(await quietFor(await getQueueWakeups(db))).toBe(0);
      expect(await quietFor(POLLING_WAKEUPS)).toBeGreaterThan(5);
    } finally {
      await client.end();
    }
  });

  it("reads a job notification's payload: a plain reply id, or a chunk append with or without its text", () => {
    const id = "6e531994-ea48-42cc-9724-e71eae5b2d9d";
    expect(parseJobPayload(id)).toEqual({ messageId: id, chunk: null });
    expect(parseJobPayload(JSON.stringify({ m: id, s: 3, t: "Hel lo" }))).toEqual({ messageId: id, chunk: { seq: 3, text: "Hel lo" } });
    expect(parseJobPayload(JSON.stringify({ m: id, s: 3 }))).toEqual({ messageId: id, chunk: null });
    expect(parseJobPayload("{not json")).toEqual({ messageId: "", chunk: null });
  });

  it("keeps the commit-without-fsync of a chunk append to its own transaction", async () => {
    const single = connectDatabase(t.url, { max: 1 });
    try {
      const user = await createTestUser(t.db);
      const chat = await createChat(t.db, user.id);
      await postPrompt(t.db, config, user.id, { chatId: chat.id, parentId: null, content: "Hi", reply: { modelConfigName: MODEL } });
      const workerId = await registerWorker(t.db, { name: "w", engine: "test", models: [MODEL], hostname: "h" });
      const job = (await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 10_000 }))!;
      expect(await appendChunk(single.db, job, job.lastSeq + 1, "Hello")).toEqual({ stopRequested: false });
      const [after] = await single.db.execute<{ synchronous_commit: string }>(sql`show synchronous_commit`);
      expect(after!.synchronous_commit).toBe("on");
    } finally {
      await single.close();
    }
  });

  it.runIf(expected === "notify")("gives a running reply's stream its chunks with the notification: no statement between the append and the token", async () => {
    let statements = 0;
    const client = postgres(t.url, { max: 2, onnotice: () => {}, debug: () => statements++ });
    const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Database;
    const controller = new AbortController();
    try {
      const user = await createTestUser(t.db);
      const chat = await createChat(t.db, user.id);
      // Earlier tests left jobs of this model in the queue: the claim must take this one.
      await t.db.update(inferenceJobs).set({ status: "cancelled" }).where(inArray(inferenceJobs.status, ["queued", "running"]));
      const { reply } = await postPrompt(t.db, config, user.id, { chatId: chat.id, parentId: null, content: "Talk", reply: { modelConfigName: MODEL } });
      const workerId = await registerWorker(t.db, { name: "w", engine: "test", models: [MODEL], hostname: "h" });
      const job = (await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 30_000 }))!;
      const events = streamReply(db, user.id, reply!.id, { config, signal: controller.signal, wakeups: await getQueueWakeups(db) });
      expect((await events.next()).value).toMatchObject({ event: { type: "started", attempt: 1 } });
      const next = () => events.next().then((result) => result.value);

      let before = statements;
      let pending = next();
      await appendChunk(t.db, job, 1, "Hello");
      expect(await pending).toEqual({ id: "1", event: { type: "token", text: "Hello" } });
      pending = next();
      await appendChunk(t.db, job, 2, " there");
      expect(await pending).toEqual({ id: "2", event: { type: "token", text: " there" } });
      expect(statements - before).toBe(0);

      // Too long for a notification payload: announced without its text, so the stream reads it.
      const long = "x".repeat(CHUNK_NOTIFY_MAX_BYTES + 1);
      before = statements;
      pending = next();
      await appendChunk(t.db, job, 3, long);
      expect(await pending).toEqual({ id: "3", event: { type: "token", text: long } });
      expect(statements - before).toBeGreaterThan(0);
    } finally {
      controller.abort();
      await client.end();
    }
  });
});
