/**
 * The database-error mapping as the tRPC error path applies it (src/server/api/trpc.ts `mapErrors`): a deadlock
 * or serialization failure runs the call once more, then CONFLICT; unavailability is a 503 with Retry-After over
 * HTTP; anything else stays a generic 500.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it, vi } from "vitest";
import { responseHeadersFor } from "@/server/api/response-meta";
import { createCallerFactory, createTRPCContext, createTRPCRouter, publicProcedure } from "@/server/api/trpc";
import type { Database } from "@/server/db/client";
import { testTreeDeps } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const drizzleError = (code: string) => Object.assign(new Error("Failed query: update … params: …"), { cause: Object.assign(new Error(`pg ${code}`), { code }) });
let flakyCalls = 0;
let deadlockCalls = 0;
let lostReadCalls = 0;
let lostWriteCalls = 0;
/** The driver's error when the server terminated the connection's backend (`pg_terminate_backend`, a fail-over). */
const terminated = () => Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });

const router = createTRPCRouter({
  flaky: publicProcedure.mutation(() => {
    flakyCalls++;
    if (flakyCalls === 1) throw drizzleError("40P01");
    return "done";
  }),
  alwaysDeadlocked: publicProcedure.mutation(() => {
    deadlockCalls++;
    throw drizzleError("40001");
  }),
  duplicate: publicProcedure.mutation(() => {
    throw drizzleError("23505");
  }),
  lostRead: publicProcedure.query(() => {
    lostReadCalls++;
    if (lostReadCalls === 1) throw terminated();
    return "read";
  }),
  lostWrite: publicProcedure.mutation(() => {
    lostWriteCalls++;
    throw terminated();
  }),
  down: publicProcedure.query(() => {
    throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
  }),
  bug: publicProcedure.query(() => {
    throw new TypeError("undefined is not a function");
  }),
});

const context = () => createTRPCContext({ db: {} as Database, headers: new Headers(), sessionUserId: null, treeDeps: testTreeDeps() });
const caller = createCallerFactory(router)(context());

async function http(path: string, method: "GET" | "POST") {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}`, { method, ...(method === "POST" ? { body: "{}", headers: { "content-type": "application/json" } } : {}) }),
    router,
    createContext: context,
    responseMeta: ({ errors }) => ({ headers: responseHeadersFor(errors) }),
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
}

describe("database errors on the tRPC error path", () => {
  it("runs a call that hit a deadlock once more", async () => {
    expect(await caller.flaky()).toBe("done");
    expect(flakyCalls).toBe(2);
  });

  it("runs a query that lost its connection once more, but never a mutation (it may have committed)", async () => {
    expect(await caller.lostRead()).toBe("read");
    expect(lostReadCalls).toBe(2);
    await expectAppError(caller.lostWrite(), { code: "SERVICE_UNAVAILABLE", appCode: "SERVICE_UNAVAILABLE" });
    expect(lostWriteCalls).toBe(1);
  });

  it("answers CONFLICT when the retry fails too, and for an unanticipated unique violation", async () => {
    await expectAppError(caller.alwaysDeadlocked(), { code: "CONFLICT", appCode: "CONFLICT" });
    expect(deadlockCalls).toBe(2);
    await expectAppError(caller.duplicate(), { code: "CONFLICT", appCode: "CONFLICT" });
    expect(await http("duplicate", "POST")).toEqual({ status: 409, retryAfter: null });
  });

  it("answers 503 with Retry-After while the database cannot be reached", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    await expectAppError(caller.down(), { code: "SERVICE_UNAVAILABLE", appCode: "SERVICE_UNAVAILABLE" });
    expect(await http("down", "GET")).toEqual({ status: 503, retryAfter: "5" });
  });

  it("keeps anything else a generic 500", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await http("bug", "GET")).toEqual({ status: 500, retryAfter: null });
  });
});
