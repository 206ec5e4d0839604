import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import type { PromptTokenizer } from "@/server/domain/chat/prompt";
import { type Engine, EngineError, type EngineRequest, type FinishReason } from "./engine";

/**
 * A GGUF model run in-process by node-llama-cpp: CPU, or CUDA/Vulkan/Metal when its prebuilt binaries find a GPU.
 * One context with a sequence per concurrent job. `build: "never"`: the prebuilt binaries only, never a download
 * or a compile of llama.cpp at start-up (stack-notes G5/G17).
 */
export type GgufEngineOptions = {
  modelPath: string;
  contextSize: number;
  /** Parallel generations (context sequences). */
  sequences: number;
  gpu: "auto" | "cuda" | "vulkan" | "metal" | false;
  threads?: number;
};

/** Turns node-llama-cpp's callbacks into an async stream. */
class TextQueue {
  private items: string[] = [];
  private wake: (() => void) | null = null;
  done = false;
  push(text: string) {
    this.items.push(text);
    this.wake?.();
  }
  end() {
    this.done = true;
    this.wake?.();
  }
  async *drain(): AsyncGenerator<string> {
    for (;;) {
      while (this.items.length > 0) yield this.items.shift()!;
      if (this.done) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}

export class GgufEngine implements Engine {
  readonly kind = "gguf";
  readonly promptKind = "text";
  readonly eosText: string | null;
  readonly contextSize: number;
  readonly tokenizer: PromptTokenizer<Token>;
  /** Tokens generated since start-up (the benchmark divides it by time). */
  generatedTokens = 0;
  private readonly free: LlamaContextSequence[];
  private readonly waiting: ((sequence: LlamaContextSequence) => void)[] = [];

  private constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
  ) {
    this.eosText = model.tokens.eosString;
    this.contextSize = context.contextSize;
    this.free = Array.from({ length: context.totalSequences }, () => context.getSequence());
    this.tokenizer = { encode: (text) => model.tokenize(text, true), decode: (tokens) => model.detokenize(tokens, true) };
  }

  static async load(options: GgufEngineOptions): Promise<GgufEngine> {
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    const llama = await getLlama({ build: "never", gpu: options.gpu, logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: options.modelPath });
    const context = await model.createContext({
      contextSize: options.contextSize,
      sequences: options.sequences,
      ...(options.threads ? { threads: options.threads } : {}),
    });
    return new GgufEngine(llama, model, context);
  }

  /** Which backend node-llama-cpp picked: "cpu" or the GPU type. */
  get backend(): string {
    return this.llama.gpu === false ? "cpu" : this.llama.gpu;
  }

  private async acquire(): Promise<LlamaContextSequence> {
    const sequence = this.free.pop();
    if (sequence) return sequence;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(sequence: LlamaContextSequence) {
    const next = this.waiting.shift();
    if (next) next(sequence);
    else this.free.push(sequence);
  }

  async *generate(request: EngineRequest): AsyncGenerator<string, FinishReason, undefined> {
    if (request.prompt.kind !== "text") throw new EngineError("refused", "The GGUF engine takes a text prompt.", false);
    const { LlamaCompletion } = await import("node-llama-cpp");
    const sequence = await this.acquire();
    const queue = new TextQueue();
    const { sampling } = request;
    const completion = new LlamaCompletion({ contextSequence: sequence });
    // Our own abort too, so that a consumer that stops reading early also stops the model before the sequence is reused.
    const stop = new AbortController();
    const result = completion
      .generateCompletionWithMeta(request.prompt.text, {
        onTextChunk: (text) => queue.push(text),
        onToken: (tokens) => (this.generatedTokens += tokens.length),
        signal: AbortSignal.any([request.signal, stop.signal]),
        stopOnAbortSignal: true,
        maxTokens: request.maxNewTokens,
        // typical_p has no counterpart in node-llama-cpp and is ignored.
        temperature: request.doSample ? (sampling.temperature ?? 0.8) : 0,
        ...(sampling.topK !== null ? { topK: sampling.topK } : {}),
        ...(sampling.topP !== null ? { topP: sampling.topP } : {}),
        ...(sampling.repetitionPenalty !== null ? { repeatPenalty: { penalty: sampling.repetitionPenalty } } : {}),
        seed: request.seed,
        customStopTriggers: request.stop.length > 0 ? request.stop : undefined,
      })
      .finally(() => queue.end());
    // Observe a failure now; it is rethrown below after the streamed text.
    result.catch(() => {});
    try {
      yield* queue.drain();
      const { metadata } = await result;
      if (request.signal.aborted || metadata.stopReason === "abort") return "aborted";
      if (metadata.stopReason === "maxTokens") return "length";
      return metadata.stopReason === "customStopTrigger" ? "stop_sequence" : "eos";
    } catch (error) {
      if (request.signal.aborted) return "aborted";
      throw new EngineError("failed", `The GGUF model failed: ${(error as Error).message}`, false);
    } finally {
      stop.abort();
      await result.catch(() => {});
      completion.dispose({ disposeSequence: false });
      this.release(sequence);
    }
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}
