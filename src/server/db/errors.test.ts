import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { classifyDatabaseError, databaseAppError, DATABASE_RETRY_AFTER_SECONDS, isUniqueViolation, retryOnceWhenSafe } from "./errors";

/** What drizzle throws: its own error with the driver's error as `cause`. */
const wrapped = (cause: object) => Object.assign(new Error("Failed query: select …\nparams: secret"), { cause });
const sqlState = (code: string, extra: object = {}) => wrapped(Object.assign(new Error(`pg ${code}`), { code, ...extra }));

describe("classifyDatabaseError", () => {
  it.each([
    ["connection refused", wrapped(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))],
    ["refused on every address", new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })], "all failed")],
    ["connection lost", wrapped(Object.assign(new Error("write CONNECTION_CLOSED"), { code: "CONNECTION_CLOSED" }))],
    ["connect timeout", Object.assign(new Error("write CONNECT_TIMEOUT"), { code: "CONNECT_TIMEOUT" })],
    ["backend terminated", sqlState("57P01")],
    ["server starting up", sqlState("57P03")],
    ["too many connections", sqlState("53300")],
    ["connection exception class", sqlState("08006")],
  ])("%s → unavailable", (_name, error) => {
    expect(classifyDatabaseError(error)).toBe("unavailable");
  });

  it.each([
    ["statement_timeout", "57014"],
    ["idle_in_transaction_session_timeout", "25P03"],
    ["lock_timeout", "55P03"],
  ])("%s → timeout", (_name, code) => {
    expect(classifyDatabaseError(sqlState(code))).toBe("timeout");
  });

  it("serialization failures and deadlocks can be retried; unique violations are conflicts", () => {
    expect(classifyDatabaseError(sqlState("40001"))).toBe("retryable");
    expect(classifyDatabaseError(sqlState("40P01"))).toBe("retryable");
    expect(classifyDatabaseError(sqlState("23505", { constraint_name: "users_email_unique" }))).toBe("conflict");
    expect(isUniqueViolation(sqlState("23505", { constraint_name: "users_email_unique" }), "users_email_unique")).toBe(true);
  });

  it("leaves bugs alone", () => {
    expect(classifyDatabaseError(sqlState("42703"))).toBeNull(); // undefined column
    expect(classifyDatabaseError(new TypeError("x is undefined"))).toBeNull();
    expect(classifyDatabaseError(new AppError("CONFLICT", "domain conflict"))).toBeNull();
    expect(classifyDatabaseError(null)).toBeNull();
  });
});

describe("databaseAppError", () => {
  it("turns unavailability and timeouts into SERVICE_UNAVAILABLE with a retry delay and no internals", () => {
    for (const error of [sqlState("57P01"), sqlState("57014")]) {
      const appError = databaseAppError(error)!;
      expect(appError).toMatchObject({ code: "SERVICE_UNAVAILABLE", trpcCode: "SERVICE_UNAVAILABLE", details: { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS } });
      expect(appError.message).not.toMatch(/select|params|secret|57/);
    }
  });

  it("turns conflicts into CONFLICT", () => {
    expect(databaseAppError(sqlState("40P01"))).toMatchObject({ code: "CONFLICT", trpcCode: "CONFLICT" });
    expect(databaseAppError(sqlState("23505"))).toMatchObject({ code: "CONFLICT", trpcCode: "CONFLICT" });
    expect(databaseAppError(sqlState("42P01"))).toBeNull();
  });
});

describe("retryOnceWhenSafe", () => {
  it("runs a call that hit a deadlock once more, and only once", async () => {
    let calls = 0;
    await expect(retryOnceWhenSafe(async () => (++calls === 1 ? Promise.reject(sqlState("40P01")) : "done"))).resolves.toBe("done");
    expect(calls).toBe(2);
    calls = 0;
    await expect(retryOnceWhenSafe(async () => (++calls, Promise.reject(sqlState("40001"))))).rejects.toMatchObject({ cause: { code: "40001" } });
    expect(calls).toBe(2);
  });

  it("does not retry other failures, thrown or returned", async () => {
    let calls = 0;
    await expect(retryOnceWhenSafe(async () => (++calls, Promise.reject(sqlState("57P01"))))).rejects.toBeDefined();
    expect(calls).toBe(1);
    calls = 0;
    const result = await retryOnceWhenSafe(
      async () => (++calls === 1 ? { ok: false, error: sqlState("40P01") } : { ok: true, error: null }),
      (outcome) => !outcome.ok && outcome.error,
    );
    expect(result.ok).toBe(true);
    expect(calls).toBe(2);
  });

  it("runs a read that lost its connection once more, but not a read that failed otherwise", async () => {
    let calls = 0;
    const lost = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    await expect(retryOnceWhenSafe(async () => (++calls === 1 ? Promise.reject(lost) : "read"), undefined, { readOnly: true })).resolves.toBe("read");
    expect(calls).toBe(2);
    calls = 0;
    await expect(retryOnceWhenSafe(async () => (++calls, Promise.reject(sqlState("23505"))), undefined, { readOnly: true })).rejects.toBeDefined();
    expect(calls).toBe(1);
  });
});
