import { TRPCError } from "@trpc/server";
import { AppError } from "@/server/errors";

export type Settled<T> =
  | { status: "ok"; value: T; ms: number }
  | { status: "error"; error: unknown; ms: number }
  | { status: "hung"; ms: number };

/** Awaits a call but gives up after `limitMs` (a call still pending then counts as hung instead of stalling the test). */
export async function settleWithin<T>(promise: Promise<T>, limitMs: number): Promise<Settled<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), limitMs)));
  try {
    const outcome = await Promise.race([promise.then((value) => ({ value })), hung]);
    const ms = performance.now() - started;
    return outcome === "hung" ? { status: "hung", ms } : { status: "ok", value: outcome.value, ms };
  } catch (error) {
    return { status: "error", error, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** The stable app code of a failed tRPC call (`appCode`), or a description of what else it was. */
export function appCodeOf(error: unknown): string {
  if (error instanceof TRPCError) return error.cause instanceof AppError ? error.cause.code : `untyped ${error.code}`;
  if (error instanceof AppError) return error.code;
  return `not a tRPC error: ${String(error)}`;
}
