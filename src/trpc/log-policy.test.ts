import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { isUnexpectedFailure } from "./log-policy";

const clientError = (httpStatus: number | undefined, code: string) =>
  TRPCClientError.from({ error: { message: code, code: -32000, data: { code, httpStatus } } } as never);

describe("isUnexpectedFailure", () => {
  it("does not log the app's deliberate refusals (4xx)", () => {
    for (const [status, code] of [[404, "NOT_FOUND"], [409, "CONFLICT"], [429, "TOO_MANY_REQUESTS"], [400, "BAD_REQUEST"], [403, "FORBIDDEN"]] as const) {
      expect(isUnexpectedFailure(clientError(status, code)), code).toBe(false);
    }
  });

  it("logs server failures, unknown statuses and non-tRPC errors", () => {
    expect(isUnexpectedFailure(clientError(500, "INTERNAL_SERVER_ERROR"))).toBe(true);
    expect(isUnexpectedFailure(clientError(503, "SERVICE_UNAVAILABLE"))).toBe(true);
    expect(isUnexpectedFailure(clientError(undefined, "UNKNOWN"))).toBe(true);
    expect(isUnexpectedFailure(new TypeError("Failed to fetch"))).toBe(true);
    expect(isUnexpectedFailure({ ok: true })).toBe(false);
  });
});
