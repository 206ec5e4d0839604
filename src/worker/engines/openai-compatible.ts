import { approximateTokenizer } from "@/server/domain/chat/prompt";
import { type Engine, EngineError, type EngineRequest, type FinishReason } from "./engine";
import { readSse } from "./sse";

/**
 * Any server that speaks OpenAI's streaming API: vLLM, TGI (Messages API), llama.cpp's server, Ollama (`/v1`).
 * `chat` mode posts messages to `/chat/completions` and lets the server apply the model's chat template; `completions`
 * mode posts our own prompt text (OA's oasst/chatml format) to `/completions`, for models without a template.
 */
export type OpenAiEngineOptions = {
  baseUrl: string;
  apiKey?: string;
  /** The model name the server knows. */
  model: string;
  api: "chat" | "completions";
  /** Waiting for the response headers, and for each next chunk. */
  timeoutMs: number;
};

type StreamChunk = {
  choices?: { delta?: { content?: string | null }; text?: string | null; finish_reason?: string | null }[];
  error?: { message?: string } | string;
};

/** OA sampling → OpenAI fields; the non-OpenAI ones (top_k, repetition_penalty, typical_p) are read by vLLM, TGI and llama.cpp. */
function samplingFields(request: EngineRequest): Record<string, unknown> {
  const { sampling } = request;
  const fields: Record<string, unknown> = { max_tokens: request.maxNewTokens, seed: request.seed };
  if (!request.doSample) return { ...fields, temperature: 0 };
  if (sampling.temperature !== null) fields.temperature = sampling.temperature;
  if (sampling.topP !== null) fields.top_p = sampling.topP;
  if (sampling.topK !== null) fields.top_k = sampling.topK;
  if (sampling.repetitionPenalty !== null) fields.repetition_penalty = sampling.repetitionPenalty;
  if (sampling.typicalP !== null) fields.typical_p = sampling.typicalP;
  return fields;
}

function finishReason(reason: string | null | undefined): FinishReason | null {
  if (!reason) return null;
  // "stop" covers both the end token and a server-side stop sequence; the worker cannot tell them apart.
  return reason === "length" ? "length" : "eos";
}

export class OpenAiCompatibleEngine implements Engine {
  readonly kind = "openai";
  readonly promptKind;
  readonly eosText = null;
  readonly contextSize = null;
  readonly tokenizer = approximateTokenizer();

  constructor(private readonly options: OpenAiEngineOptions) {
    this.promptKind = options.api === "chat" ? ("chat" as const) : ("text" as const);
  }

  async *generate(request: EngineRequest): AsyncGenerator<string, FinishReason, undefined> {
    const { options } = this;
    const body =
      request.prompt.kind === "chat"
        ? { model: options.model, messages: request.prompt.messages, stream: true, stop: request.stop.slice(0, 4), ...samplingFields(request) }
        : { model: options.model, prompt: request.prompt.text, stream: true, stop: request.stop.slice(0, 4), ...samplingFields(request) };
    const path = request.prompt.kind === "chat" ? "chat/completions" : "completions";
    // One controller for the user's stop and our own timeout; a timer restarted on every chunk catches a stalled server.
    const controller = new AbortController();
    const onAbort = () => controller.abort(request.signal.reason);
    request.signal.addEventListener("abort", onAbort, { once: true });
    let timedOut = false;
    let timer = setTimeout(() => ((timedOut = true), controller.abort()), options.timeoutMs);
    const restartTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(() => ((timedOut = true), controller.abort()), options.timeoutMs);
    };
    try {
      const response = await fetch(`${options.baseUrl.replace(/\/+$/, "")}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        const detail = (await response.text().catch(() => "")).slice(0, 300);
        const retryable = response.status === 429 || response.status >= 500;
        const kind = response.status === 429 || response.status === 503 ? "busy" : retryable ? "failed" : "refused";
        throw new EngineError(kind, `The model server answered ${response.status}${detail ? `: ${detail}` : ""}`, retryable);
      }
      // A reply is complete only when the server says so ([DONE] or a finish reason); a stream that just ends (the
      // server crashed, a proxy cut the connection) is a cut-off reply, not a short one.
      let finish: FinishReason | null = null;
      let done = false;
      for await (const event of readSse(response.body)) {
        restartTimer();
        if (event.data === "[DONE]") {
          done = true;
          break;
        }
        if (event.event === "error") throw new EngineError("failed", `The model server reported an error: ${event.data.slice(0, 300)}`, false);
        let chunk: StreamChunk;
        try {
          chunk = JSON.parse(event.data) as StreamChunk;
        } catch {
          continue; // keep-alives and other non-JSON lines, as OA's website parser
        }
        if (chunk.error) {
          const message = typeof chunk.error === "string" ? chunk.error : (chunk.error.message ?? "unknown error");
          throw new EngineError("failed", `The model server reported an error: ${message}`, false);
        }
        const choice = chunk.choices?.[0];
        const text = choice?.delta?.content ?? choice?.text ?? "";
        if (text) yield text;
        finish = finishReason(choice?.finish_reason) ?? finish;
      }
      if (request.signal.aborted) return "aborted";
      if (finish === null && !done) throw new EngineError("cutOff", `The stream from ${options.baseUrl} ended without [DONE] or a finish reason.`, true);
      return finish ?? "eos";
    } catch (error) {
      if (request.signal.aborted) return "aborted";
      if (error instanceof EngineError) throw error;
      if (timedOut) throw new EngineError("stalled", `The model server at ${options.baseUrl} sent nothing for ${Math.round(options.timeoutMs / 1000)} s.`, true);
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new EngineError("unreachable", `The model server at ${options.baseUrl} cannot be reached${cause ? ` (${cause})` : ""}.`, true);
    } finally {
      clearTimeout(timer);
      request.signal.removeEventListener("abort", onAbort);
    }
  }

  async close(): Promise<void> {}
}
