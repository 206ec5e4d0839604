import { ZodError } from "zod";
import { InputRejection, sanitizeInput } from "@/lib/input-sanitizer";
import { jsonAnswer } from "@/lib/small-answers";
import { databaseAppError } from "@/server/db/errors";
import { AppError } from "@/server/errors";

/**
 * The HTTP edge of the REST facade: the original's error bodies and status codes, JSON responses and SSE. Domain
 * errors (`AppError`) keep their numeric `oaCode` as `error_code`; a body or query that does not parse answers 422
 * like FastAPI did, with the zod issues as `detail`. Anything else is a bug: logged, and answered with a generic 500
 * body that leaks nothing.
 */

/** HTTP statuses the original backend used for its error codes (spec backend §5 error table); others are 400. */
const OA_STATUS: Record<number, number> = {
  2: 403, 3: 403, 4: 503, 429: 429, 500: 500, 501: 500, 600: 401, 1006: 503, 2001: 404, 2008: 500, 2009: 500,
  2100: 404, 4001: 503, 4002: 404, 4003: 451,
};

const TRPC_STATUS: Record<string, number> = {
  BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429, SERVICE_UNAVAILABLE: 503, INTERNAL_SERVER_ERROR: 500,
};

/** The inference server answered these with FastAPI's statuses (spec inference §2.2). */
const INFERENCE_STATUS: Partial<Record<AppError["code"], number>> = {
  CHAT_MODEL_NOT_FOUND: 422,
  CHAT_MESSAGE_TOO_LONG: 413,
  CHAT_TOO_MANY_MESSAGES: 413,
};

export type RestApi = "backend" | "inference";

export function statusOf(error: AppError, api: RestApi): number {
  if (api === "inference" && INFERENCE_STATUS[error.code]) return INFERENCE_STATUS[error.code]!;
  if (error.oaCode !== 0 && OA_STATUS[error.oaCode]) return OA_STATUS[error.oaCode]!;
  if (error.oaCode !== 0 && error.trpcCode !== "TOO_MANY_REQUESTS" && error.trpcCode !== "SERVICE_UNAVAILABLE") return 400;
  return TRPC_STATUS[error.trpcCode] ?? 400;
}

export type ErrorBody = { error_code: number; message: string; app_code: string; detail?: unknown };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  if (status === 204) return new Response(null, { status, headers });
  return jsonAnswer(JSON.stringify(body), { status, headers });
}

function zodDetail(error: ZodError) {
  return error.issues.map((issue) => ({ loc: issue.path.map(String), msg: issue.message, type: issue.code }));
}

/** Turns any thrown value into the original's error response. */
export function errorResponse(thrown: unknown, api: RestApi): Response {
  // Database failures get the same typed answer as on tRPC (503 with Retry-After, 409), never a bare 500.
  const error = thrown instanceof AppError ? thrown : (databaseAppError(thrown) ?? thrown);
  if (error instanceof ZodError) {
    const first = error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join(".")}: ` : "";
    const body: ErrorBody = { error_code: 0, app_code: "INVALID_INPUT", message: `${where}${first?.message ?? "Invalid request."}`, detail: zodDetail(error) };
    return json(body, 422);
  }
  if (error instanceof AppError) {
    const status = statusOf(error, api);
    const headers: Record<string, string> = {};
    const retryAfter = error.details?.retryAfterSeconds;
    if (typeof retryAfter === "number" && retryAfter > 0) headers["retry-after"] = String(Math.ceil(retryAfter));
    const body: ErrorBody = { error_code: error.oaCode, app_code: error.code, message: error.message };
    // FastAPI's HTTPException body, which clients of the inference server read.
    if (api === "inference") body.detail = error.message;
    return json(body, status, headers);
  }
  console.error("[rest] unexpected error:", error);
  return json({ error_code: 500, app_code: "INTERNAL", message: "Something went wrong on our side. Please try again." }, 500);
}

/**
 * The REST edge's inputs pass the same sanitiser as every tRPC procedure (`src/lib/input-sanitizer.ts`): NUL refused,
 * lone surrogates replaced, sizes and dates bounded — one rule for all text, whichever API it arrives through.
 */
export function sanitizedInput<T>(value: T): T {
  try {
    return sanitizeInput(value) as T;
  } catch (error) {
    if (error instanceof InputRejection) throw new AppError("INVALID_INPUT", error.message, { path: error.path, reason: error.reason });
    throw error;
  }
}

/** Reads a JSON body; an empty body counts as `{}` (the product's example posts `json={}`), bad JSON is a 422. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new ZodError([{ code: "custom", path: [], message: "The request body is not valid JSON.", input: text.slice(0, 100) }]);
  }
  return sanitizedInput(parsed);
}

/**
 * A server-sent event stream in the inference server's format: `data: <json>` lines, no event names; a comment
 * line every `keepAliveMs` keeps proxies from closing an idle connection.
 */
export function sseResponse(events: AsyncIterable<unknown>, signal: AbortSignal, keepAliveMs = 15_000): Response {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      keepAlive = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": ping\n\n"));
        } catch {
          clearInterval(keepAlive);
        }
      }, keepAliveMs);
    },
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done || signal.aborted) {
          clearInterval(keepAlive);
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(next.value)}\n\n`));
      } catch (error) {
        clearInterval(keepAlive);
        const body = error instanceof AppError ? error.message : "The stream failed.";
        if (!(error instanceof AppError)) console.error("[rest] stream failed:", error);
        controller.enqueue(encoder.encode(`data: ${JSON.stringify({ event_type: "error", error: body, message: null })}\n\n`));
        controller.close();
      }
    },
    async cancel() {
      clearInterval(keepAlive);
      await iterator.return?.(undefined);
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive" },
  });
}
