import { AppError } from "@/server/errors";

/** The PostgreSQL error behind a failed query (drizzle wraps the driver's error in `cause`). */
export type PostgresErrorInfo = { code: string; constraint?: string };

/** The error and everything it wraps (`cause` chains, the attempts of an `AggregateError`). */
function* errorChain(error: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (!error || typeof error !== "object" || depth > 8) return;
  const current = error as Record<string, unknown>;
  yield current;
  if (Array.isArray(current.errors)) for (const inner of current.errors) yield* errorChain(inner, depth + 1);
  if ("cause" in current) yield* errorChain(current.cause, depth + 1);
}

export function postgresErrorOf(error: unknown): PostgresErrorInfo | null {
  for (const candidate of errorChain(error)) {
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return { code: candidate.code, constraint: typeof candidate.constraint_name === "string" ? candidate.constraint_name : undefined };
    }
  }
  return null;
}

export const isUniqueViolation = (error: unknown, constraint?: string) => {
  const info = postgresErrorOf(error);
  return info?.code === "23505" && (constraint === undefined || info.constraint === constraint);
};

/**
 * What a database failure means for the caller:
 * - `unavailable`: the database cannot be reached, dropped the connection, refuses new ones or is overloaded — the
 *   same call may well succeed in a few seconds (503 + Retry-After);
 * - `timeout`: a statement or an idle transaction ran past its limit (503 + Retry-After);
 * - `retryable`: serialization failure or deadlock — the transaction was rolled back and can simply run again;
 * - `conflict`: a unique constraint the domain did not anticipate (two requests creating the same thing at once).
 */
export type DatabaseErrorKind = "unavailable" | "timeout" | "retryable" | "conflict";

/** Errors of postgres.js itself and of Node's sockets that mean "no usable connection". */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
function kindOfSqlState(code: string): DatabaseErrorKind | null {
  if (code.startsWith("08")) return "unavailable"; // connection exception
  if (code.startsWith("53")) return "unavailable"; // insufficient resources: too many connections, out of memory, disk full
  switch (code) {
    case "57P01": // admin_shutdown (also pg_terminate_backend)
    case "57P02": // crash_shutdown
    case "57P03": // cannot_connect_now (starting up, shutting down, recovering)
    case "57P05": // idle_session_timeout
      return "unavailable";
    case "57014": // query_canceled: statement_timeout
    case "25P03": // idle_in_transaction_session_timeout
    case "55P03": // lock_not_available: lock_timeout
      return "timeout";
    case "40001": // serialization_failure
    case "40P01": // deadlock_detected
      return "retryable";
    case "23505": // unique_violation
      return "conflict";
    default:
      return null;
  }
}

/** Classifies a failure of a database call; null when it is not one the caller can act on (a bug: 500). */
export function classifyDatabaseError(error: unknown): DatabaseErrorKind | null {
  for (const candidate of errorChain(error)) {
    const code = candidate.code;
    if (typeof code !== "string") continue;
    if (CONNECTION_CODES.has(code)) return "unavailable";
    if (/^[0-9A-Z]{5}$/.test(code)) {
      const kind = kindOfSqlState(code);
      if (kind) return kind;
    }
  }
  return null;
}

/**
 * Codes that mean an established connection was lost under the call (its backend was terminated or crashed, or the
 * socket was reset), as opposed to a database that cannot be reached at all: a pool connection killed while idle
 * fails the next call sent on it before the driver has noticed, and the pool's other connections (or a new one)
 * serve the same call a moment later.
 */
const LOST_CONNECTION_CODES = new Set(["57P01", "57P02", "08006", "ECONNRESET", "EPIPE", "CONNECTION_CLOSED"]);

/** Whether a failure is the loss of an established connection (`LOST_CONNECTION_CODES`). */
export function isLostConnection(error: unknown): boolean {
  for (const candidate of errorChain(error)) {
    if (typeof candidate.code === "string" && LOST_CONNECTION_CODES.has(candidate.code)) return true;
  }
  return false;
}

/** Seconds a caller should wait before trying again while the database is unavailable or overloaded. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

let lastLoggedAt = 0;

/** One line at most every few seconds while the database is down, instead of one per request (no SQL, no parameters). */
function logUnavailable(kind: DatabaseErrorKind, error: unknown) {
  const now = Date.now();
  if (now - lastLoggedAt < 5_000) return;
  lastLoggedAt = now;
  const codes = [...errorChain(error)].map((candidate) => candidate.code).filter((code): code is string => typeof code === "string");
  console.warn(`[db] ${kind === "timeout" ? "timed out" : "unavailable"} (${[...new Set(codes)].join(", ") || "no code"}); answering 503`);
}

/**
 * The one mapping of database failures to typed errors (DESIGN "Edges"), used by the tRPC error path and any
 * other transport: unavailable or timed out → `SERVICE_UNAVAILABLE` with `retryAfterSeconds`; serialization
 * failure, deadlock (after the retry) and unanticipated unique violations → `CONFLICT`. Null: not a database
 * failure a caller can act on.
 */
export function databaseAppError(error: unknown): AppError | null {
  const kind = classifyDatabaseError(error);
  switch (kind) {
    case "unavailable":
      logUnavailable(kind, error);
      return new AppError("SERVICE_UNAVAILABLE", "The database cannot be reached right now. Please try again in a few seconds.", {
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      });
    case "timeout":
      logUnavailable(kind, error);
      return new AppError("SERVICE_UNAVAILABLE", "The server is too busy to answer right now. Please try again in a few seconds.", {
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      });
    case "retryable":
    case "conflict":
      return new AppError("CONFLICT", "This collided with another change made at the same moment. Please try again.");
    default:
      return null;
  }
}

/**
 * Runs `attempt` and runs it once more when running it again is safe: it failed with a serialization failure or a
 * deadlock (PostgreSQL rolled the transaction back), or it is a read (`readOnly`) that lost its connection. `failed`
 * tells a failed result from a good one, for callers (tRPC middlewares) that get errors as values instead of
 * exceptions.
 */
export async function retryOnceWhenSafe<T>(
  attempt: () => Promise<T>,
  failed: (result: T) => unknown = () => null,
  { readOnly = false }: { readOnly?: boolean } = {},
): Promise<T> {
  // A read may also run again after losing its connection: it changed nothing, whatever the server got of it.
  const retryable = (error: unknown) => classifyDatabaseError(error) === "retryable" || (readOnly && isLostConnection(error));
  let first: T;
  try {
    first = await attempt();
  } catch (error) {
    if (!retryable(error)) throw error;
    return attempt();
  }
  const error = failed(first);
  return error && retryable(error) ? attempt() : first;
}
