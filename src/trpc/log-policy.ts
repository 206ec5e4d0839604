import { TRPCClientError } from "@trpc/client";

/**
 * Whether a failed call deserves a console error in development. Answers the app gives on purpose — "no task for
 * you right now", a conflict, a rate limit, a validation message (every 4xx, shown to the user by the page) — are
 * not errors of the app, and logging them put a red error badge on normal pages. Server failures (5xx) and network
 * or parsing failures are still logged.
 */
export function isUnexpectedFailure(result: unknown): boolean {
  if (!(result instanceof Error)) return false;
  if (!(result instanceof TRPCClientError)) return true;
  const status = (result.data as { httpStatus?: unknown } | undefined)?.httpStatus;
  return typeof status !== "number" || status >= 500;
}
