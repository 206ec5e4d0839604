import { count, eq } from "drizzle-orm";
import superjson from "superjson";
import { afterEach, describe, expect, it, vi } from "vitest";
import { chatMessages, users } from "@/server/db/schema";
import { registerWorker } from "@/server/domain/chat/workers";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";
import { handleTrpcHttpRequest } from "./http-handler";
import { createTRPCContext } from "./trpc";

/** Issue 12 findings 8–13: hostile input reaches no database error and gets a typed, human answer. */

const t = setupTestDatabase();
const MODEL = "OA_SFT_Llama_30B_6";

afterEach(() => vi.restoreAllMocks());

/** Calls `/api/trpc/<path>` as `userId` with a raw body (or a superjson-encoded input). */
async function http(
  path: string,
  userId: string | null,
  body: { raw?: BodyInit; input?: unknown; headers?: Record<string, string>; method?: "GET" | "POST" } = {},
  maxBodyBytes?: number,
) {
  const request = new Request(`http://localhost/api/trpc/${path}`, {
    method: body.method ?? "POST",
    headers: { "content-type": "application/json", ...body.headers },
    body: body.raw ?? (body.input === undefined ? undefined : JSON.stringify(superjson.serialize(body.input))),
    duplex: "half",
  } as RequestInit);
  const response = await handleTrpcHttpRequest(request, {
    maxBodyBytes,
    createContext: async (req) => createTRPCContext({ db: t.db, headers: req.headers, sessionUserId: userId }),
  });
  const json = (await response.json()) as { error?: { json: { message: string; data: Record<string, unknown> } }; result?: unknown };
  return { status: response.status, headers: response.headers, error: json.error?.json, result: json.result };
}

describe("text inputs (findings 8, 9)", () => {
  it("refuses a NUL character in any text field with INVALID_INPUT naming the field, and writes nothing", async () => {
    const user = await createTestUser(t.db);
    const chat = callerFor(t.db, user.id).chat;
    const { id: chatId } = await chat.create();
    const error = await expectAppError(chat.postMessage({ chatId, parentId: null, content: "hello\u0000world" }), {
      code: "BAD_REQUEST",
      appCode: "INVALID_INPUT",
    });
    expect(error.message).toContain('"content"');
    expect(error.message).toContain("NUL");
    const [row] = await t.db.select({ n: count() }).from(chatMessages).where(eq(chatMessages.chatId, chatId));
    expect(row!.n).toBe(0);

    // Keys of records too (label names), and query inputs (`lang`).
    await expectAppError(callerFor(t.db, user.id).users.updateProfile({ displayName: "A\u0000B" }), { code: "BAD_REQUEST", appCode: "INVALID_INPUT" });
    await expectAppError(callerFor(t.db, user.id).tasks.availability({ lang: "e\u0000n" } as never), { code: "BAD_REQUEST", appCode: "INVALID_INPUT" });
    await expectAppError(
      callerFor(t.db, user.id).messages.label({ messageId: crypto.randomUUID(), labels: { ["spam\u0000"]: 1 } }),
      { code: "BAD_REQUEST", appCode: "INVALID_INPUT" },
    );
  });

  it("stores lone surrogates as U+FFFD, in jsonb columns too, instead of failing", async () => {
    const user = await createTestUser(t.db);
    await registerWorker(t.db, { name: "edge-test", engine: "test", models: [MODEL], hostname: "here" });
    const chat = callerFor(t.db, user.id).chat;
    const { id: chatId } = await chat.create();
    const { prompt, reply } = await chat.postMessage({
      chatId,
      parentId: null,
      content: "broken \ud800 text",
      reply: { modelConfigName: MODEL, systemPrompt: "be \udc00 kind", userProfile: "x\ud83d" },
    });
    expect(prompt.content).toBe("broken \ufffd text");
    expect(reply!.workParameters!.systemPrompt).toBe("be \ufffd kind");
  });

  it("refuses oversized strings before any schema runs", async () => {
    const user = await createTestUser(t.db);
    const error = await expectAppError(callerFor(t.db, user.id).users.updateProfile({ displayName: "x".repeat(300_000) }), {
      code: "BAD_REQUEST",
      appCode: "INVALID_INPUT",
    });
    expect(error.message).toContain("too long");
  });
});

describe("dates (finding 10)", () => {
  it("refuses a date PostgreSQL cannot store with a typed error", async () => {
    const moderator = await createTestUser(t.db, { role: "moderator" });
    const author = await createTestUser(t.db);
    const caller = callerFor(t.db, moderator.id).moderation;
    for (const minDate of [new Date(-8.64e15), new Date("+275760-09-13T00:00:00Z"), new Date(Number.NaN)]) {
      const error = await expectAppError(caller.purgeUserMessages({ userId: author.id, minDate }), { code: "BAD_REQUEST", appCode: "INVALID_INPUT" });
      expect(error.message).toContain("minDate");
    }
    await expect(caller.purgeUserMessages({ userId: author.id, minDate: new Date("2001-01-01") })).resolves.toBeTruthy();
  });
});

describe("request bodies over HTTP (findings 11, 12, 13)", () => {
  it("answers a body over the limit with a typed 413, declared or streamed", async () => {
    const user = await createTestUser(t.db);
    const huge = JSON.stringify({ json: { displayName: "x".repeat(2 * 1024 * 1024) } });
    const declared = await http("users.updateProfile", user.id, { raw: huge, headers: { "content-length": String(huge.length) } });
    expect(declared.status).toBe(413);
    expect(declared.error!.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", appCode: "PAYLOAD_TOO_LARGE", details: { maxBytes: 1024 * 1024 } });
    expect(declared.error!.message).toBe("The request body is too large (at most 1 MB).");

    const bytes = new TextEncoder().encode(huge);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await http("users.updateProfile", user.id, { raw: stream });
    expect(streamed.status).toBe(413);

    // The limit is configurable, and a body under it is served.
    const small = await http("users.updateProfile", user.id, { input: { displayName: "Fine" } }, 2048);
    expect(small.status).toBe(200);
    const over = await http("users.updateProfile", user.id, { input: { displayName: "y".repeat(3000) } }, 2048);
    expect(over.status).toBe(413);
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.name).toBe("Fine");
  });

  it("gives validation errors a human message, with every issue in data", async () => {
    const user = await createTestUser(t.db);
    const response = await http("users.updateProfile", user.id, { input: { displayName: "", showOnLeaderboard: "yes" } });
    expect(response.status).toBe(400);
    expect(response.error!.message).not.toMatch(/^\s*[[{]/);
    expect(response.error!.message).toMatch(/^(displayName|showOnLeaderboard): .+ \(and \d+ more problems?\)$/);
    const issues = (response.error!.data.details as { issues: { path: string; message: string }[] }).issues;
    expect(new Set(issues.map((issue) => issue.path))).toEqual(new Set(["displayName", "showOnLeaderboard"]));
    expect(response.error!.data.appCode).toBe("BAD_REQUEST");
    expect(response.error!.data.zodError).toBeTruthy();
  });

  it("refuses a malformed body even for mutations that take no input", async () => {
    const user = await createTestUser(t.db);
    const chat = callerFor(t.db, user.id).chat;
    await chat.create();
    for (const path of ["chat.hideAll", "users.deleteAccount"]) {
      const response = await http(path, user.id, { raw: "{not json" });
      expect(response.status, path).toBe(400);
      expect(response.error!.data.appCode, `${path}: ${response.error!.message}`).toBe("INVALID_INPUT");
    }
    expect((await chat.list({ limit: 10 })).chats).toHaveLength(1);
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.deleted).toBe(false);
  });

  it("marks every API answer no-store, and a small one no-transform so it is not gzipped", async () => {
    const user = await createTestUser(t.db);
    const ok = await http("users.me", user.id, { method: "GET" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store, no-transform");
    const failed = await http("users.me", null, { method: "GET" });
    expect(failed.status).toBe(401);
    expect(failed.headers.get("cache-control")).toBe("no-store, no-transform");
    // An answer of 1 KB and more (the tree manager's settings, for moderators) is left to be compressed.
    const moderator = await createTestUser(t.db, { role: "moderator" });
    const large = await http("tasks.config", moderator.id, { method: "GET" });
    expect(large.status).toBe(200);
    expect(JSON.stringify(large.result).length).toBeGreaterThan(1024);
    expect(large.headers.get("cache-control")).toBe("no-store");
  });

  it("logs an unexpected failure without its SQL parameters", async () => {
    const user = await createTestUser(t.db);
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    const broken = createTRPCContext({ db: t.db, headers: new Headers(), sessionUserId: user.id });
    // A database that fails the way drizzle reports a failed statement: the message carries the parameters.
    const failing = new Proxy(t.db, {
      get(target, key, receiver) {
        if (key === "select") {
          return () => {
            throw Object.assign(new Error('Failed query: select "id" from "users" where "email" = $1\nparams: secret@example.test'), { name: "DrizzleQueryError" });
          };
        }
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const { createCaller } = await import("./root");
    await expectAppError(createCaller({ ...broken, db: failing }).users.me(), { code: "INTERNAL_SERVER_ERROR" });
    const line = logged.join("\n");
    expect(line).toContain("users.me");
    expect(line).toContain("Failed query");
    expect(line).not.toContain("secret@example.test");
  });
});
