import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { AppError } from "@/server/errors";

/** Awaits a call that must fail and returns its typed error, checking the tRPC code and the app/oa codes. */
export async function expectAppError(
  promise: Promise<unknown>,
  expected: { code: TRPCError["code"]; appCode?: string; oaCode?: number },
): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, "the call should have failed").toBeInstanceOf(TRPCError);
  const trpcError = error as TRPCError;
  expect(trpcError.code).toBe(expected.code);
  if (expected.appCode || expected.oaCode !== undefined) {
    expect(trpcError.cause).toBeInstanceOf(AppError);
    const cause = trpcError.cause as AppError;
    if (expected.appCode) expect(cause.code).toBe(expected.appCode);
    if (expected.oaCode !== undefined) expect(cause.oaCode).toBe(expected.oaCode);
  }
  return trpcError;
}
