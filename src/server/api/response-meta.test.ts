import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { responseHeadersFor } from "./response-meta";

const limited = (seconds: number) =>
  new TRPCError({ code: "TOO_MANY_REQUESTS", message: "slow down", cause: new AppError("TOO_MANY_REQUESTS", "slow down", { retryAfterSeconds: seconds }) });

describe("responseHeadersFor", () => {
  it("tells a rate-limited caller when to retry, rounding up", () => {
    expect(responseHeadersFor([limited(12.2)])).toEqual({ "retry-after": "13" });
  });

  it("takes the longest wait of a batch", () => {
    expect(responseHeadersFor([limited(3), limited(40)])).toEqual({ "retry-after": "40" });
  });

  it("adds nothing for other errors", () => {
    expect(responseHeadersFor([new TRPCError({ code: "NOT_FOUND" })])).toEqual({});
    expect(responseHeadersFor([])).toEqual({});
  });
});
