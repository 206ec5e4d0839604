import type { WorkParameters } from "@/server/db/schema";
import { getModelConfigOrThrow, isLlama, type ModelConfig } from "@/server/domain/chat/model-configs";
import {
  buildTextPrompt, fitChatMessages, fitTextPrompt, type PromptFormat, SPECIAL_TOKENS, stopSequences, type ThreadMessage,
} from "@/server/domain/chat/prompt";
import type { Engine, EngineRequest } from "./engines/engine";

/**
 * Turns a claimed job into an engine request: the model config's lengths (capped by the engine's own context), the
 * prompt format, system prompt and custom instructions, left truncation and the clamped `max_new_tokens` (OA
 * `work.py::make_prompt_and_parameters` + `utils.truncate_prompt`).
 */
export type PreparedRequest = Omit<EngineRequest, "signal"> & { inputTokens: number; truncated: boolean };

/** The model config's window, shrunk to fit an engine that knows its context size (a GGUF file). */
export function effectiveLengths(model: ModelConfig, contextSize: number | null): { maxInputLength: number; maxTotalLength: number } {
  const maxTotalLength = contextSize ? Math.min(model.maxTotalLength, contextSize) : model.maxTotalLength;
  return { maxTotalLength, maxInputLength: Math.min(model.maxInputLength, maxTotalLength - 1) };
}

/** OA: the format's end token if it has one, else the tokenizer's EOS (`</s>` for Llama, `<|endoftext|>` for Pythia). */
export function eosFor(format: PromptFormat, model: ModelConfig, engine: Pick<Engine, "eosText">): string {
  const end = SPECIAL_TOKENS[format].end;
  if (end) return end;
  return engine.eosText ?? (isLlama(model) ? "</s>" : "<|endoftext|>");
}

export function prepareRequest(
  work: WorkParameters,
  thread: readonly ThreadMessage[],
  engine: Pick<Engine, "promptKind" | "eosText" | "contextSize" | "tokenizer">,
  options: { promptFormat: PromptFormat; useStopSequences: boolean },
): PreparedRequest {
  const model = getModelConfigOrThrow(work.modelConfigName);
  const lengths = { ...effectiveLengths(model, engine.contextSize), maxNewTokens: work.sampling.maxNewTokens };
  const common = { sampling: work.sampling, doSample: work.doSample, seed: work.seed };
  if (engine.promptKind === "chat") {
    const fitted = fitChatMessages(thread, work, { tokenizer: engine.tokenizer, ...lengths });
    return { ...common, prompt: { kind: "chat", messages: fitted.prompt }, maxNewTokens: fitted.maxNewTokens, stop: [], inputTokens: fitted.inputTokens, truncated: fitted.truncated };
  }
  const eos = eosFor(options.promptFormat, model, engine);
  const text = buildTextPrompt(thread, work, options.promptFormat, eos);
  const fitted = fitTextPrompt(text, { format: options.promptFormat, tokenizer: engine.tokenizer, ...lengths });
  return {
    ...common,
    prompt: { kind: "text", text: fitted.prompt },
    maxNewTokens: fitted.maxNewTokens,
    stop: options.useStopSequences ? stopSequences(options.promptFormat, eos) : [],
    inputTokens: fitted.inputTokens,
    truncated: fitted.truncated,
  };
}
