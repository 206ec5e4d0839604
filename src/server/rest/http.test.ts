import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AppError } from "@/server/errors";
import { errorResponse, readJson, sanitizeStrings, statusOf } from "./http";

describe("REST edge", () => {
  it("removes NUL characters and replaces lone surrogates in every string", () => {
    expect(sanitizeStrings({ "a\u0000": ["x\u0000y", "\uD800z", "ok 😀"], n: 1 })).toEqual({ a: ["xy", "\uFFFDz", "ok 😀"], n: 1 });
  });

  it("reads an empty body as {} and refuses bad JSON with a 422", async () => {
    expect(await readJson(new Request("http://x", { method: "POST", body: "" }))).toEqual({});
    await expect(readJson(new Request("http://x", { method: "POST", body: "{nope" }))).rejects.toBeInstanceOf(ZodError);
  });

  it("maps errors to the original's statuses and bodies", async () => {
    expect(statusOf(new AppError("TASK_NOT_FOUND", "x"), "backend")).toBe(404);
    expect(statusOf(new AppError("TASK_REQUESTED_TYPE_NOT_AVAILABLE", "x"), "backend")).toBe(503);
    expect(statusOf(new AppError("USER_DISABLED", "x"), "backend")).toBe(503);
    expect(statusOf(new AppError("TASK_ALREADY_UPDATED", "x"), "backend")).toBe(400);
    expect(statusOf(new AppError("CHAT_MODEL_NOT_FOUND", "x"), "inference")).toBe(422);
    expect(statusOf(new AppError("CHAT_QUEUE_BUSY", "x"), "inference")).toBe(503);
    const limited = errorResponse(new AppError("TOO_MANY_REQUESTS", "slow down", { retryAfterSeconds: 12.2 }), "backend");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("13");
    expect(await limited.json()).toEqual({ error_code: 429, app_code: "TOO_MANY_REQUESTS", message: "slow down" });
    const bug = errorResponse(new Error("select * from secrets failed"), "backend");
    expect(bug.status).toBe(500);
    expect(JSON.stringify(await bug.json())).not.toContain("secrets");
  });
});
