/**
 * Issue 12, finding 2: while the database refuses connections every call is a typed, quick 503 with Retry-After
 * (no 500s, no 40 s hangs), and service resumes by itself. A TCP proxy started here sits between the app's pool and
 * the database (embedded server or PostgreSQL) and refuses, stalls or cuts connections on demand.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { responseHeadersFor } from "@/server/api/response-meta";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { callerFor, createTestUser } from "@/test/factories";
import { setupTestDatabase } from "@/test/database";
import { connectDatabase, type DatabaseConnection } from "./client";
import { startFaultProxy, type FaultProxy } from "./faults/proxy";
import { appCodeOf, settleWithin } from "./faults/settle";

const t = setupTestDatabase();
let proxy: FaultProxy;
let app: DatabaseConnection;
let userId: string;

beforeAll(async () => {
  userId = (await createTestUser(t.db)).id;
  proxy = await startFaultProxy(t.url);
  // The app's pool, through the proxy, with a short connect timeout so a stalled database fails fast.
  app = connectDatabase(proxy.url, { max: 5, connectTimeoutSeconds: 2 });
});

afterAll(async () => {
  await app?.close();
  await proxy?.close();
});

/** One call over HTTP, the way `src/app/api/trpc/[trpc]/route.ts` serves it. */
async function httpCall(path: string) {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}`),
    router: appRouter,
    createContext: () => createTRPCContext({ db: app.db, headers: new Headers(), sessionUserId: userId }),
    responseMeta: ({ errors }) => ({ headers: responseHeadersFor(errors) }),
  });
  // superjson wraps the payload: { error: { json: { message, data } } }
  const body = (await response.json()) as { error?: { json: { message: string; data: { appCode: string } } } };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), error: body.error?.json };
}

async function untilServed(limitMs: number) {
  const caller = callerFor(app.db, userId);
  const started = Date.now();
  for (;;) {
    const outcome = await settleWithin(caller.users.me(), limitMs);
    if (outcome.status === "ok") return Date.now() - started;
    if (Date.now() - started > limitMs) throw new Error(`not served again after ${limitMs} ms (last: ${outcome.status})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the database refusing connections for a while", () => {
  it("answers every call with a quick typed 503 and Retry-After, then serves again by itself", async () => {
    const caller = callerFor(app.db, userId);
    expect((await caller.users.me()).id).toBe(userId);

    await proxy.refuse();
    const outcomes: string[] = [];
    const refusedUntil = Date.now() + 3_000;
    while (Date.now() < refusedUntil) {
      const burst = await Promise.all(Array.from({ length: 10 }, () => settleWithin(caller.users.me(), 10_000)));
      for (const outcome of burst) outcomes.push(outcome.status === "error" ? appCodeOf(outcome.error) : outcome.status);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const http = await httpCall("users.me");
    await proxy.accept();

    expect(outcomes.length).toBeGreaterThan(10);
    expect(new Set(outcomes)).toEqual(new Set(["SERVICE_UNAVAILABLE"]));
    expect(http.status).toBe(503);
    expect(Number(http.retryAfter)).toBeGreaterThan(0);
    expect(http.error?.data.appCode).toBe("SERVICE_UNAVAILABLE");
    expect(http.error?.message).toMatch(/try again/i);
    expect(http.error?.message).not.toMatch(/127\.0\.0\.1|ECONN|select/);

    await untilServed(10_000);
    const burst = await Promise.all(Array.from({ length: 15 }, () => settleWithin(caller.users.me(), 10_000)));
    expect(burst.map((outcome) => outcome.status)).toEqual(Array(15).fill("ok"));
    expect((await httpCall("users.me")).status).toBe(200);
  });

  it("fails calls with a typed 503 after the connect timeout when the database hangs, never a 40 s wait", async () => {
    await proxy.stall();
    const caller = callerFor(app.db, userId);
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => settleWithin(caller.users.me(), 15_000)));
    await proxy.accept();
    expect(outcomes.map((outcome) => (outcome.status === "error" ? appCodeOf(outcome.error) : outcome.status))).toEqual(Array(8).fill("SERVICE_UNAVAILABLE"));
    await untilServed(10_000);
  });

  it("gives typed errors when every open connection is cut mid-load, and serves again", async () => {
    const caller = callerFor(app.db, userId);
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round++) {
      const burst = Array.from({ length: 15 }, () => settleWithin(caller.users.me(), 10_000));
      await new Promise((resolve) => setImmediate(resolve));
      proxy.cut();
      for (const outcome of await Promise.all(burst)) outcomes.push(outcome.status === "error" ? appCodeOf(outcome.error) : outcome.status);
    }
    expect(outcomes.filter((outcome) => outcome !== "ok" && outcome !== "SERVICE_UNAVAILABLE")).toEqual([]);
    await untilServed(10_000);
    const burst = await Promise.all(Array.from({ length: 15 }, () => settleWithin(caller.users.me(), 10_000)));
    expect(burst.map((outcome) => outcome.status)).toEqual(Array(15).fill("ok"));
  });
});
