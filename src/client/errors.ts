import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../server/api/root";

/** Default pause when a 429/503 does not say how long to wait. */
const DEFAULT_RETRY_SECONDS = 5;

type ErrorData = { appCode?: string; oaCode?: number; httpStatus?: number; code?: string; details?: Record<string, unknown> | null };

/**
 * Every failed call of the typed client rejects with this error: `appCode` is our stable error name (e.g.
 * `TASK_NOT_FOUND`), `oaCode` the original Open-Assistant numeric code (e.g. 2100; 0 when it had none), and the
 * retry advice: `retryAfterSeconds` is set for 429 (rate limited) and 503 (busy or briefly unavailable), else null.
 * It is still a TRPCClientError, so tRPC tooling keeps working.
 */
export class OpenAssistantError extends TRPCClientError<AppRouter> {
  readonly appCode: string;
  readonly oaCode: number;
  /** The HTTP status (0 when the request got no answer: network failure). */
  readonly httpStatus: number;
  readonly retryAfterSeconds: number | null;
  readonly details: Record<string, unknown> | null;

  constructor(original: unknown) {
    const trpc = original instanceof TRPCClientError ? (original as TRPCClientError<AppRouter>) : null;
    const cause = original instanceof Error ? original : new Error(String(original));
    super(cause.message, { cause, meta: trpc?.meta, result: trpc?.shape ? { error: trpc.shape } : undefined });
    // TRPCClientError's constructor resets the prototype to its own; restore ours so instanceof and getters work.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = "OpenAssistantError";
    const data = (trpc?.data ?? {}) as ErrorData;
    this.httpStatus = data.httpStatus ?? 0;
    this.appCode = data.appCode ?? data.code ?? "NETWORK_ERROR";
    this.oaCode = data.oaCode ?? 0;
    this.details = data.details ?? null;
    const fromDetails = typeof this.details?.retryAfterSeconds === "number" ? this.details.retryAfterSeconds : null;
    const response = (trpc?.meta as { response?: Response } | undefined)?.response;
    const header = Number(response?.headers?.get?.("retry-after"));
    const fromHeader = Number.isFinite(header) && header > 0 ? header : null;
    const retryable = this.httpStatus === 429 || this.httpStatus === 503 || this.httpStatus === 0;
    this.retryAfterSeconds = retryable ? (fromDetails ?? fromHeader ?? DEFAULT_RETRY_SECONDS) : null;
  }

  /** Trying the same call again later may succeed. */
  get retryable(): boolean {
    return this.retryAfterSeconds !== null;
  }
}

export function toOpenAssistantError(error: unknown): OpenAssistantError {
  return error instanceof OpenAssistantError ? error : new OpenAssistantError(error);
}
