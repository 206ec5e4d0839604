/**
 * Errors a caller can act on. Domain code throws `AppError`; the tRPC layer turns it into a TRPCError with a
 * stable `appCode`, the original system's numeric code (`oaCode`, so external clients can map them) and the
 * human message. Anything else is a bug and reaches the caller as a generic internal error.
 */
export const APP_ERRORS = {
  // access
  UNAUTHENTICATED: { trpc: "UNAUTHORIZED", oa: 600 },
  API_CLIENT_NOT_AUTHORIZED: { trpc: "UNAUTHORIZED", oa: 2 },
  FORBIDDEN: { trpc: "FORBIDDEN", oa: 2 },
  USER_DISABLED: { trpc: "FORBIDDEN", oa: 4001 },
  USER_NOT_FOUND: { trpc: "NOT_FOUND", oa: 4002 },
  TOS_NOT_ACCEPTED: { trpc: "FORBIDDEN", oa: 4003 },
  INVALID_INPUT: { trpc: "BAD_REQUEST", oa: 0 },
  TOO_MANY_REQUESTS: { trpc: "TOO_MANY_REQUESTS", oa: 429 },
  CONFLICT: { trpc: "CONFLICT", oa: 0 },
} as const satisfies Record<string, { trpc: TrpcErrorCode; oa: number }>;

/** The subset of tRPC error codes we map to (kept here so the domain does not import tRPC). */
export type TrpcErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "TOO_MANY_REQUESTS"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

export type AppErrorCode = keyof typeof APP_ERRORS;

export class AppError extends Error {
  readonly oaCode: number;
  readonly trpcCode: TrpcErrorCode;

  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Extra machine-readable facts, e.g. `{ retryAfterSeconds: 12 }`. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
    this.oaCode = APP_ERRORS[code].oa;
    this.trpcCode = APP_ERRORS[code].trpc;
  }
}
