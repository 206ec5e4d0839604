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
  PAYLOAD_TOO_LARGE: { trpc: "PAYLOAD_TOO_LARGE", oa: 0 },
  TOO_MANY_REQUESTS: { trpc: "TOO_MANY_REQUESTS", oa: 429 },
  CONFLICT: { trpc: "CONFLICT", oa: 0 },
  /** The database cannot be reached or is overloaded right now (src/server/db/errors.ts); comes with Retry-After. */
  SERVICE_UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", oa: 0 },
  NOT_FOUND: { trpc: "NOT_FOUND", oa: 0 },
  // tasks (spec backend §5 error codes)
  TASK_INVALID_REQUEST_TYPE: { trpc: "BAD_REQUEST", oa: 1000 },
  TASK_REQUESTED_TYPE_NOT_AVAILABLE: { trpc: "NOT_FOUND", oa: 1006 },
  TASK_MESSAGE_TOO_LONG: { trpc: "BAD_REQUEST", oa: 1008 },
  TASK_MESSAGE_DUPLICATED: { trpc: "CONFLICT", oa: 1009 },
  TASK_MESSAGE_TEXT_EMPTY: { trpc: "BAD_REQUEST", oa: 1010 },
  TASK_MESSAGE_DUPLICATE_REPLY: { trpc: "CONFLICT", oa: 1011 },
  TASK_TOO_MANY_PENDING: { trpc: "TOO_MANY_REQUESTS", oa: 1012 },
  TASK_TARGET_FULL: { trpc: "CONFLICT", oa: 1004 },
  INVALID_FRONTEND_MESSAGE_ID: { trpc: "BAD_REQUEST", oa: 2000 },
  MESSAGE_NOT_FOUND: { trpc: "NOT_FOUND", oa: 2001 },
  INVALID_RANKING_VALUE: { trpc: "BAD_REQUEST", oa: 2003 },
  TREE_IN_ABORTED_STATE: { trpc: "CONFLICT", oa: 2010 },
  TEXT_LABELS_WRONG_MESSAGE_ID: { trpc: "BAD_REQUEST", oa: 2050 },
  TEXT_LABELS_INVALID_LABEL: { trpc: "BAD_REQUEST", oa: 2051 },
  TEXT_LABELS_MANDATORY_LABEL_MISSING: { trpc: "BAD_REQUEST", oa: 2052 },
  TEXT_LABELS_NO_SELF_LABELING: { trpc: "FORBIDDEN", oa: 2053 },
  TEXT_LABELS_DUPLICATE_TASK_REPLY: { trpc: "CONFLICT", oa: 2053 },
  TASK_NOT_FOUND: { trpc: "NOT_FOUND", oa: 2100 },
  TASK_EXPIRED: { trpc: "PRECONDITION_FAILED", oa: 2101 },
  TASK_PAYLOAD_TYPE_MISMATCH: { trpc: "BAD_REQUEST", oa: 2102 },
  TASK_ALREADY_UPDATED: { trpc: "CONFLICT", oa: 2103 },
  TASK_NOT_ACK: { trpc: "PRECONDITION_FAILED", oa: 2104 },
  TASK_ALREADY_DONE: { trpc: "CONFLICT", oa: 2105 },
  TASK_NOT_ASSIGNED_TO_USER: { trpc: "FORBIDDEN", oa: 2106 },
  TASK_SKIPPED: { trpc: "CONFLICT", oa: 2103 },
  // messages and moderation
  INVALID_CURSOR_VALUE: { trpc: "BAD_REQUEST", oa: 101 },
  NO_MESSAGE_TREE_FOUND: { trpc: "NOT_FOUND", oa: 2006 },
  EMOJI_OP_UNSUPPORTED: { trpc: "BAD_REQUEST", oa: 5000 },
  SORT_KEY_UNSUPPORTED: { trpc: "BAD_REQUEST", oa: 100 },
  AUTH_AND_USERNAME_REQUIRED: { trpc: "BAD_REQUEST", oa: 2012 },
  CACHED_STATS_NOT_AVAILABLE: { trpc: "NOT_FOUND", oa: 6000 },
  /** Restoring the reply would give its parent more replies than the tree allows (details: parentId, maxReplies). */
  UNDELETE_PARENT_FULL: { trpc: "CONFLICT", oa: 0 },
  // chat and inference (the original inference server had no numeric codes)
  CHAT_NOT_FOUND: { trpc: "NOT_FOUND", oa: 0 },
  CHAT_MESSAGE_NOT_FOUND: { trpc: "NOT_FOUND", oa: 0 },
  CHAT_INVALID_PARENT: { trpc: "BAD_REQUEST", oa: 0 },
  CHAT_PARENT_NOT_COMPLETE: { trpc: "PRECONDITION_FAILED", oa: 0 },
  CHAT_NOT_ASSISTANT_MESSAGE: { trpc: "BAD_REQUEST", oa: 0 },
  CHAT_MESSAGE_TOO_LONG: { trpc: "BAD_REQUEST", oa: 0 },
  CHAT_TOO_MANY_MESSAGES: { trpc: "BAD_REQUEST", oa: 0 },
  CHAT_MODEL_NOT_FOUND: { trpc: "BAD_REQUEST", oa: 0 },
  CHAT_MODEL_UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", oa: 0 },
  CHAT_TOO_MANY_PENDING: { trpc: "TOO_MANY_REQUESTS", oa: 0 },
  CHAT_QUEUE_BUSY: { trpc: "SERVICE_UNAVAILABLE", oa: 0 },
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
  | "PAYLOAD_TOO_LARGE"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

/** A zod failure in words: the first problem with the field it concerns, and how many more there are. */
export function describeZodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return "The input is not valid.";
  const field = formatIssuePath(first.path);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? "problem" : "problems"})` : "";
  return `${field ? `${field}: ` : ""}${first.message}${more}`;
}

export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), "");
}

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
