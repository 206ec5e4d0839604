import type { SamplingParameters } from "@/server/db/schema";
import type { ChatApiMessage, PromptTokenizer } from "@/server/domain/chat/prompt";

/**
 * What the worker needs from a model backend: an OpenAI-compatible HTTP server (vLLM, TGI, llama.cpp server, Ollama),
 * an in-process GGUF model (node-llama-cpp), or the weightless development engine (dev-echo).
 */
export type EnginePrompt = { kind: "text"; text: string } | { kind: "chat"; messages: ChatApiMessage[] };

export type EngineRequest = {
  prompt: EnginePrompt;
  /** Already clamped to what the context has left. */
  maxNewTokens: number;
  sampling: SamplingParameters;
  doSample: boolean;
  seed: number;
  /** The engine may stop on these itself; the worker also cuts at them (StopSequenceBuffer). */
  stop: string[];
  signal: AbortSignal;
};

/** Why generation ended, as OA's `finish_reason` (`length`, `eos_token`, `stop_sequence`), plus a user stop. */
export type FinishReason = "length" | "eos" | "stop_sequence" | "aborted";

/**
 * PostgreSQL `text` cannot hold NUL, and a byte-fallback model emits one now and then (its `<0x00>` token). Every piece
 * of model output passes through this before it is streamed or stored: NUL becomes U+FFFD, the character a decoder
 * shows for bytes it cannot represent. It works character by character, so the streamed chunks and the stored reply
 * stay equal.
 */
export function storableText(piece: string): string {
  return piece.replaceAll("\u0000", "\uFFFD");
}

export interface Engine {
  readonly kind: "openai" | "gguf" | "dev-echo";
  /** `chat`: the server applies the model's chat template to messages; `text`: the worker renders the prompt format. */
  readonly promptKind: "text" | "chat";
  /** The model's end-of-sequence text, for the oasst prompt format; null when the engine cannot tell. */
  readonly eosText: string | null;
  /** The engine's context window when it knows it; model config lengths are capped by it. */
  readonly contextSize: number | null;
  /** For left truncation: the model's own tokenizer, or a safe character estimate. */
  readonly tokenizer: PromptTokenizer;
  /** Streams text pieces; resolves with the finish reason. Aborting `request.signal` ends it with `aborted`. */
  generate(request: EngineRequest): AsyncGenerator<string, FinishReason, undefined>;
  close(): Promise<void>;
}

/**
 * What a chat user may read about a failure: a sentence without URLs, error codes or upstream bodies. The details go
 * to the worker's log (`EngineError.detail`), never into the reply.
 */
export const ENGINE_FAILURES = {
  unreachable: "The model is not reachable right now. Please try again in a moment.",
  busy: "The model is overloaded right now. Please try again in a moment.",
  stalled: "The model stopped responding while writing this reply.",
  cutOff: "The model's reply was cut off before it was finished.",
  refused: "The model could not answer this request.",
  failed: "The model failed while writing this reply.",
  internal: "Something went wrong while writing this reply. Please try again.",
  unstorable: "The model wrote something that cannot be stored, so this reply was stopped. Please try again.",
} as const;
export type EngineFailure = keyof typeof ENGINE_FAILURES;

/**
 * `retryable`: worth another attempt (unreachable or overloaded backend, a cut-off stream); otherwise the reply fails.
 * `message` is the human sentence for `kind`; `detail` (URLs, status codes, upstream text) is for the log only.
 */
export class EngineError extends Error {
  constructor(
    readonly kind: EngineFailure,
    readonly detail: string,
    readonly retryable: boolean,
  ) {
    super(ENGINE_FAILURES[kind]);
    this.name = "EngineError";
  }
}
