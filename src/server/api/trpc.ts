import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Database } from "@/server/db/client";
import { databaseAppError, retryOnceWhenSafe } from "@/server/db/errors";
import { authenticateApiKey, type ApiClientRow } from "@/server/domain/api-clients/keys";
import { assertUserActive, isModerator } from "@/server/domain/users/access";
import type { UserRow } from "@/server/domain/users/dto";
import { findUserById, upsertIdentityUser } from "@/server/domain/users/queries";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { getRuntimeTreeDeps } from "@/server/domain/trees/runtime";
import { findBodyTooLarge } from "@/lib/body-limit";
import { InputRejection, sanitizeInput } from "@/lib/input-sanitizer";
import { describeErrorForLog } from "@/lib/redact-error";
import { AppError, describeZodIssues, formatIssuePath } from "@/server/errors";

/** Who is calling, as established by the transport: a signed-in web session and/or API-client headers. */
export type CallerIdentity = {
  /** Auth.js user id of the signed-in web user, if any. */
  sessionUserId: string | null;
  headers: Headers;
};

export type TRPCContext = CallerIdentity & {
  db: Database;
  /** Tree manager configuration and randomness; tests pass their own. */
  treeDeps: TreeDeps;
};

export function createTRPCContext(opts: CallerIdentity & { db: Database; treeDeps?: TreeDeps }): TRPCContext {
  return { ...opts, treeDeps: opts.treeDeps ?? getRuntimeTreeDeps() };
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const appError = cause instanceof AppError ? cause : null;
    const isBug = error.code === "INTERNAL_SERVER_ERROR" && !appError;
    // Internal details (SQL, stack traces) never reach a caller.
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message: isBug ? "Something went wrong on our side. Please try again." : shape.message,
      data: {
        ...data,
        appCode: appError?.code ?? (isBug ? "INTERNAL" : error.code),
        oaCode: appError?.oaCode ?? 0,
        details:
          appError?.details ??
          (cause instanceof ZodError && error.code === "BAD_REQUEST"
            ? { issues: cause.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message, code: issue.code })) }
            : null),
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Domain errors become typed tRPC errors; database failures too (src/server/db/errors.ts: a call that hit a
 * deadlock or serialization failure runs once more, and so does a query that lost its connection); input validation
 * failures get a human message (the first problem and its field; every issue stays in `data.details.issues`);
 * anything else is logged, without its SQL parameters, as the bug it is.
 */
const mapErrors = t.middleware(async ({ next, path, type }) => {
  // Queries are reads: one that lost its connection (a backend killed while the pool held it idle) runs once more.
  const result = await retryOnceWhenSafe(next, (outcome) => !outcome.ok && outcome.error.cause, { readOnly: type === "query" });
  if (!result.ok) {
    const cause = result.error.cause instanceof AppError ? result.error.cause : (databaseAppError(result.error.cause) ?? result.error.cause);
    if (cause instanceof AppError) {
      throw new TRPCError({ code: cause.trpcCode, message: cause.message, cause });
    }
    if (cause instanceof ZodError && result.error.code === "BAD_REQUEST") {
      throw new TRPCError({ code: "BAD_REQUEST", message: describeZodIssues(cause.issues), cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path} failed: ${describeErrorForLog(result.error.cause ?? result.error)}`);
  }
  return result;
});

/**
 * Every input passes one sanitiser before any schema or domain code (see `src/lib/input-sanitizer.ts`): NUL and
 * oversized values are refused with INVALID_INPUT, lone surrogates become U+FFFD. Reading the raw input here also
 * means a malformed or oversized body is refused for every procedure — including the ones that take no input,
 * which tRPC would otherwise run without ever reading the body.
 */
const sanitizeRawInput = t.middleware(async ({ next, getRawInput }) => {
  let raw: unknown;
  try {
    raw = await getRawInput();
  } catch (error) {
    const tooLarge = findBodyTooLarge(error);
    if (tooLarge) throw new AppError("PAYLOAD_TOO_LARGE", tooLarge.message, { maxBytes: tooLarge.maxBytes });
    throw new AppError("INVALID_INPUT", "The request body could not be read: it must be valid JSON in the tRPC format.");
  }
  let clean: unknown;
  try {
    clean = sanitizeInput(raw);
  } catch (error) {
    if (error instanceof InputRejection) throw new AppError("INVALID_INPUT", error.message, { path: error.path, reason: error.reason });
    throw error;
  }
  return next({ getRawInput: async () => clean });
});

/** An `x-api-key` header, when present, must be valid: a wrong key is refused, never treated as anonymous. */
const withApiClient = t.middleware(async ({ ctx, next }) => {
  const key = ctx.headers.get("x-api-key");
  const apiClient: ApiClientRow | null = key ? await authenticateApiKey(ctx.db, key) : null;
  return next({ ctx: { apiClient } });
});

export const publicProcedure = t.procedure.use(mapErrors).use(sanitizeRawInput).use(withApiClient);

/**
 * API clients act for their own users with `x-oasst-user: <auth_method>:<username>` (and optionally
 * `x-oasst-user-name` for the display name), as with the original backend.
 */
async function resolveClientUser(db: Database, client: ApiClientRow, headers: Headers): Promise<UserRow | null> {
  const header = headers.get("x-oasst-user");
  if (!header) return null;
  const separator = header.indexOf(":");
  const authMethod = header.slice(0, separator).trim();
  const username = header.slice(separator + 1).trim();
  if (separator <= 0 || !authMethod || !username || username.length > 128 || authMethod.length > 32) {
    throw new AppError("INVALID_INPUT", "The x-oasst-user header must look like <auth_method>:<username>.");
  }
  const displayName = (headers.get("x-oasst-user-name") ?? username).slice(0, 256);
  return upsertIdentityUser(db, { apiClientId: client.id, authMethod, username, displayName });
}

/** Signed in (by session, or an API client acting for a user) and not banned, disabled or deleted. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  let user: UserRow | null = null;
  if (ctx.sessionUserId) user = await findUserById(ctx.db, ctx.sessionUserId);
  else if (ctx.apiClient) user = await resolveClientUser(ctx.db, ctx.apiClient, ctx.headers);
  if (!user) throw new AppError("UNAUTHENTICATED", "Please sign in to continue.");
  assertUserActive(user);
  return next({ ctx: { user } });
});

/** Contributors must have accepted the terms of service before they see or write any content. */
export const contributorProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.tosAcceptanceDate) {
    throw new AppError("TOS_NOT_ACCEPTED", "Please accept the terms of service before contributing.");
  }
  return next();
});

/** Moderators and admins, or a trusted API client (the original's "trusted" endpoints). */
export const moderatorProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!isModerator(ctx.user) && !ctx.apiClient?.trusted) {
    throw new AppError("FORBIDDEN", "Only moderators can do this.");
  }
  return next();
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") throw new AppError("FORBIDDEN", "Only administrators can do this.");
  return next();
});

/** Calls that only make sense for an external client (e.g. its own identity). */
export const apiClientProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.apiClient) throw new AppError("API_CLIENT_NOT_AUTHORIZED", "This call needs an x-api-key header.");
  return next({ ctx: { apiClient: ctx.apiClient } });
});
