import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import superjson from "superjson";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppRouter } from "@/server/api/root";
import { inferenceJobs } from "@/server/db/schema";
import { createChat } from "@/server/domain/chat/chats";
import { getChatConfig } from "@/server/domain/chat/config";
import type { ReplyStreamEvent } from "@/server/domain/chat/dto";
import { appendChunk, claimJob, finishJob } from "@/server/domain/chat/queue";
import { postPrompt } from "@/server/domain/chat/replies";
import { registerWorker } from "@/server/domain/chat/workers";
import { readSse } from "@/worker/engines/sse";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import { startTrpcHttpServer } from "@/test/trpc-http-server";

/**
 * The reply stream over real HTTP: the fetch adapter the Next route uses, SSE on the wire, a dropped connection
 * resumed with Last-Event-ID, and the tRPC client's `httpSubscriptionLink`.
 */
const t = setupTestDatabase();
const MODEL = "_lorem";
let server: { url: string; stop: () => Promise<void> };
let baseUrl: string;

beforeAll(async () => {
  server = await startTrpcHttpServer(t.db);
  baseUrl = server.url;
});

// The fake worker takes the oldest queued job: leave none behind from an earlier test. Replies are refused at once
// for a model nobody serves, so a live worker (fresh heartbeat) serves MODEL in every test.
beforeEach(async () => {
  await t.db.update(inferenceJobs).set({ status: "cancelled" }).where(inArray(inferenceJobs.status, ["queued", "running"]));
  await registerWorker(t.db, { name: "live", engine: "test", models: [MODEL], hostname: "here" });
});

afterAll(async () => {
  await server.stop();
});

async function queuedReply() {
  const user = await createTestUser(t.db);
  const chat = await createChat(t.db, user.id);
  const { reply } = await postPrompt(t.db, getChatConfig(), user.id, { chatId: chat.id, parentId: null, content: "Count to five", reply: { modelConfigName: MODEL } });
  return { user, reply: reply! };
}

/** Plays a worker: claims the job and writes `pieces` one by one, then finishes. */
async function fakeWorker(pieces: string[], delayMs: number) {
  const workerId = await registerWorker(t.db, { name: "fake", engine: "test", models: [MODEL], hostname: "test" });
  let job = await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 30_000 });
  while (!job) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    job = await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 30_000 });
  }
  for (const [index, piece] of pieces.entries()) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await appendChunk(t.db, job, job.lastSeq + index + 1, piece);
  }
  await finishJob(t.db, job, { content: pieces.join(""), stopped: false });
}

const PIECES = ["one ", "two ", "three ", "four ", "five"];

function subscriptionUrl(messageId: string) {
  return `${baseUrl}/chat.streamReply?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ messageId })))}`;
}

describe("chat.streamReply over SSE", () => {
  it("streams tracked events and resumes after a dropped connection without repeating or losing text", async () => {
    const { user, reply } = await queuedReply();
    const worker = fakeWorker(PIECES, 60);

    const firstConnection = new AbortController();
    const response = await fetch(subscriptionUrl(reply.id), { headers: { "x-test-user": user.id, accept: "text/event-stream" }, signal: firstConnection.signal });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const received: string[] = [];
    let lastEventId: string | null = null;
    for await (const event of readSse(response.body!)) {
      if (event.event !== "message") continue;
      const data = superjson.deserialize(JSON.parse(event.data)) as ReplyStreamEvent;
      lastEventId = event.id;
      if (data.type === "token") received.push(data.text);
      if (received.length === 2) break;
    }
    firstConnection.abort();
    expect(lastEventId).toBe("2");

    const resumed = await fetch(subscriptionUrl(reply.id), { headers: { "x-test-user": user.id, accept: "text/event-stream", "last-event-id": lastEventId! } });
    const events: ReplyStreamEvent[] = [];
    const names: string[] = [];
    for await (const event of readSse(resumed.body!)) {
      names.push(event.event);
      if (event.event === "message") events.push(superjson.deserialize(JSON.parse(event.data)) as ReplyStreamEvent);
    }
    await worker;
    for (const event of events) if (event.type === "token") received.push(event.text);
    expect(received.join("")).toBe(PIECES.join(""));
    expect(events.at(-1)).toMatchObject({ type: "message", message: { state: "complete", content: "one two three four five" } });
    // The server ends the stream itself after the final event.
    expect(names.at(-1)).toBe("return");
  });

  it("refuses another user's reply with a typed error", async () => {
    const { reply } = await queuedReply();
    const stranger = await createTestUser(t.db);
    const response = await fetch(subscriptionUrl(reply.id), { headers: { "x-test-user": stranger.id, accept: "text/event-stream" } });
    const names: { event: string; data: string }[] = [];
    for await (const event of readSse(response.body!)) names.push(event);
    const error = names.find((event) => event.event === "serialized-error");
    expect(error).toBeDefined();
    expect(JSON.stringify(superjson.deserialize(JSON.parse(error!.data)))).toContain("CHAT_MESSAGE_NOT_FOUND");
  });

  it("works with the tRPC client's httpSubscriptionLink, reconnecting like a browser EventSource", async () => {
    const { user, reply } = await queuedReply();
    DroppingEventSource.dropAfter = 2;
    const client = createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url: baseUrl, transformer: superjson, EventSource: DroppingEventSource as never, eventSourceOptions: { headers: { "x-test-user": user.id } } as never }),
          false: httpLink({ url: baseUrl, transformer: superjson, headers: { "x-test-user": user.id } }),
        }),
      ],
    });
    const worker = fakeWorker(PIECES, 60);
    const events: { id?: string; data: ReplyStreamEvent }[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = client.chat.streamReply.subscribe(
        { messageId: reply.id },
        {
          onData: (envelope) => events.push(envelope as { id?: string; data: ReplyStreamEvent }),
          onError: reject,
          onComplete: () => resolve(),
          onStopped: () => resolve(),
        },
      );
      setTimeout(() => (subscription.unsubscribe(), reject(new Error("the stream did not end"))), 10_000);
    });
    await worker;
    expect(DroppingEventSource.connections).toBeGreaterThanOrEqual(2);
    const text = events.map((e) => (e.data.type === "token" ? e.data.text : "")).join("");
    expect(text).toBe(PIECES.join(""));
    expect(events.at(-1)!.data).toMatchObject({ type: "message" });
    // Still usable for ordinary calls through the same client.
    expect((await client.chat.get.query({ chatId: reply.chatId })).messages).toHaveLength(2);
  });
});

/**
 * A minimal EventSource for Node 20 (which has none without a flag): fetch + our SSE parser. Like a browser, it
 * reconnects after a dropped connection and sends Last-Event-ID; `dropAfter` cuts the first connection after that
 * many data events so the test sees a reconnect.
 */
class DroppingEventSource extends EventTarget {
  static dropAfter = 0;
  static connections = 0;
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readyState = 0;
  readonly withCredentials = false;
  private controller = new AbortController();
  private lastEventId = "";

  constructor(
    readonly url: string,
    private readonly init: { headers?: Record<string, string> } = {},
  ) {
    super();
    DroppingEventSource.connections = 0;
    void this.connect(true);
  }

  private async connect(first: boolean) {
    DroppingEventSource.connections++;
    const headers: Record<string, string> = { accept: "text/event-stream", ...this.init.headers };
    if (this.lastEventId) headers["last-event-id"] = this.lastEventId;
    let seen = 0;
    try {
      const response = await fetch(this.url, { headers, signal: this.controller.signal });
      this.readyState = this.OPEN;
      this.dispatchEvent(new Event("open"));
      for await (const event of readSse(response.body!)) {
        if (event.id !== null) this.lastEventId = event.id;
        this.dispatchEvent(new MessageEvent(event.event, { data: event.data, lastEventId: event.id ?? "" }));
        if (event.event === "message" && first && ++seen === DroppingEventSource.dropAfter) throw new Error("dropped");
      }
    } catch {
      // a drop (or close()); reconnect below unless closed
    }
    if (this.readyState === this.CLOSED) return;
    this.readyState = this.CONNECTING;
    this.controller = new AbortController();
    this.dispatchEvent(new Event("error"));
    setTimeout(() => void this.connect(false), 20);
  }

  close() {
    this.readyState = this.CLOSED;
    this.controller.abort();
  }
}
