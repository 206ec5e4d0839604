import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AppError } from "@/server/errors";
import { errorResponse, readJson, sanitizedInput, statusOf } from "./http";

describe("REST edge", () => {
  it("applies the app's one input rule: lone surrogates replaced, NUL refused with a typed error naming the field", () => {
    expect(sanitizedInput({ a: ["x", "\uD800z", "ok 😀"], n: 1 })).toEqual({ a: ["x", "\uFFFDz", "ok 😀"], n: 1 });
    expect(() => sanitizedInput({ a: ["x\u0000y"] })).toThrow(expect.objectContaining({ code: "INVALID_INPUT", details: expect.objectContaining({ path: "a[0]" }) }));
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
