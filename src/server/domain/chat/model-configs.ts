import { AppError } from "@/server/errors";

/**
 * Model configurations, ported from OA `oasst-shared/oasst_shared/model_configs.py` (spec inference §4.1).
 * A chat reply asks for one of these by name; a worker declares the names it serves (WORKER_MODELS) and only claims
 * jobs for them, so the name plays the role of OA's `compat_hash` work queue.
 */
export type ModelConfig = {
  name: string;
  /** The upstream model (Hugging Face id); the OpenAI-compatible engine sends it unless OPENAI_MODEL overrides it. */
  modelId: string;
  /** Prompt tokens kept after left truncation. */
  maxInputLength: number;
  /** Prompt plus generated tokens: `max_new_tokens` is clamped to what is left. */
  maxTotalLength: number;
  quantized: boolean;
};

/** The weightless development engine's model (src/worker/engines/dev-echo.ts): not a language model. */
export const DEV_ECHO_MODEL = "dev-echo";

type Row = [name: string, modelId: string, maxInputLength: number, maxTotalLength: number, quantized?: boolean];

const ROWS: Row[] = [
  // Served only by the weightless development engine (WORKER_ENGINE=dev-echo, started by `npm run dev`).
  [DEV_ECHO_MODEL, "dev-echo (development only)", 2048, 4096],
  ["_lorem", "_lorem", 128, 256],
  ["distilgpt2", "distilgpt2", 512, 1024],
  ["OA_SFT_Pythia_12B", "OpenAssistant/oasst-sft-1-pythia-12b", 1024, 2048],
  ["OA_SFT_Pythia_12Bq", "OpenAssistant/oasst-sft-1-pythia-12b", 1024, 2048, true],
  ["OA_SFT_Pythia_12B_4", "OpenAssistant/oasst-sft-4-pythia-12b-epoch-3.5", 1024, 2048],
  ["OA_SFT_Pythia_12Bq_4", "OpenAssistant/oasst-sft-4-pythia-12b-epoch-3.5", 1024, 2048, true],
  ["OA_SFT_Llama_7B", "OpenAssistant/oasst_sft_llama_7b_mask_1000", 1024, 2048],
  ["OA_SFT_Llama_13B", "OpenAssistant/oasst_sft_llama_13b_mask_1500", 1024, 2048],
  ["OA_SFT_Llama_13Bq", "OpenAssistant/oasst_sft_llama_13b_mask_1500", 1024, 2048, true],
  ["OA_SFT_Llama_30B", "OpenAssistant/llama_30b_oasst_latcyr_1000", 1024, 1792],
  ["OA_SFT_Llama_30Bq", "OpenAssistant/llama_30b_oasst_latcyr_1000", 1024, 1792, true],
  ["OA_SFT_Llama_30B_2", "OpenAssistant/llama_30b_oasst_latcyr_400", 1024, 1792],
  ["OA_SFT_Llama_30Bq_2", "OpenAssistant/llama_30b_oasst_latcyr_400", 1024, 1792, true],
  ["OA_SFT_Llama_30B_5", "OpenAssistant/oasst-sft-5-llama-30b-epoch-1", 1024, 1792],
  ["OA_SFT_Llama_30Bq_5", "OpenAssistant/oasst-sft-5-llama-30b-epoch-1", 1024, 1792, true],
  ["OA_SFT_Llama_30B_6", "OpenAssistant/oasst-sft-6-llama-30b", 1024, 1792],
  ["OA_SFT_Llama_30Bq_6", "OpenAssistant/oasst-sft-6-llama-30b", 1024, 1792, true],
  ["OA_SFT_Llama_30B_7", "OpenAssistant/oasst-sft-7-llama-30b", 1024, 1792],
  ["OA_SFT_Llama_30Bq_7", "OpenAssistant/oasst-sft-7-llama-30b", 1024, 1792, true],
  ["OA_SFT_Llama_30B_7e3", "OpenAssistant/oasst-sft-7e3-llama-30b", 1024, 1792],
  ["OA_RLHF_Llama_30B_2_7k", "OpenAssistant/oasst-rlhf-2-llama-30b-7k-steps", 1024, 1792],
  ["Carper_RLHF_13B_1", "CarperAI/vicuna-13b-fine-tuned-rlhf", 1024, 2048],
  ["Carper_RLHF_13Bq_1", "CarperAI/vicuna-13b-fine-tuned-rlhf", 1024, 2048, true],
  ["OA_SFT_Llama2_70B_10", "OpenAssistant/llama2-70b-oasst-sft-v10", 3072, 4096],
  ["OA_SFT_CodeLlama_13B_10", "OpenAssistant/codellama-13b-oasst-sft-v10", 8192, 12288],
];

export const MODEL_CONFIGS: ReadonlyMap<string, ModelConfig> = new Map(
  ROWS.map(([name, modelId, maxInputLength, maxTotalLength, quantized = false]) => [
    name,
    { name, modelId, maxInputLength, maxTotalLength, quantized },
  ]),
);

/** OA's compat hash: two workers with the same hash produce interchangeable output (shown to moderators). */
export function compatHash(config: ModelConfig): string {
  return `${config.modelId}-${config.maxTotalLength}-${config.maxInputLength}-${config.quantized ? "q" : "f"}`;
}

/** Llama tokenizers end a turn with `</s>`, the GPT-NeoX (Pythia) ones with `<|endoftext|>` (OA `utils.special_tokens`). */
export function isLlama(config: ModelConfig): boolean {
  return config.modelId.toLowerCase().includes("llama");
}

/** Names offered to users: `allowed` is `"*"` (all, OA's default) or an allow-list (OA `ALLOWED_MODEL_CONFIG_NAMES`). */
export function allowedModelConfigs(allowed: readonly string[] | "*"): ModelConfig[] {
  const all = [...MODEL_CONFIGS.values()];
  return allowed === "*" ? all : all.filter((config) => allowed.includes(config.name));
}

export function getModelConfigOrThrow(name: string, allowed: readonly string[] | "*" = "*"): ModelConfig {
  const config = MODEL_CONFIGS.get(name);
  if (!config) throw new AppError("CHAT_MODEL_NOT_FOUND", `Model ${name} not found.`);
  if (allowed !== "*" && !allowed.includes(name)) {
    throw new AppError("CHAT_MODEL_NOT_FOUND", `Model ${name} is not offered on this server.`);
  }
  return config;
}
