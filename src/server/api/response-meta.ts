import type { TRPCError } from "@trpc/server";
import { AppError } from "@/server/errors";

/**
 * HTTP headers for a tRPC response: a rate-limited call also says when to retry (`Retry-After`, seconds), so plain
 * HTTP clients and proxies can back off without parsing the error body.
 */
export function responseHeadersFor(errors: readonly TRPCError[]): Record<string, string> {
  const waits = errors
    .map((error) => (error.cause instanceof AppError ? error.cause.details?.retryAfterSeconds : undefined))
    .filter((seconds): seconds is number => typeof seconds === "number" && seconds > 0);
  return waits.length > 0 ? { "retry-after": String(Math.ceil(Math.max(...waits))) } : {};
}
