import { pickEnv } from "@/env";
import { ModelApiError, postJson } from "./http";

export type EmbeddingsConfig = {
  provider: "openai" | "tei" | "huggingface";
  /** Base URL: `…/v1` for OpenAI-compatible servers, the server root for text-embeddings-inference, the HF models URL. */
  url: string;
  model: string;
  apiKey?: string;
  /** Cosine similarity from which a prompt counts as a near duplicate. */
  nearDuplicateThreshold: number;
};

const DEFAULTS = {
  openai: { url: "https://api.openai.com/v1", model: "text-embedding-3-small" },
  tei: { url: "", model: "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2" },
  // OA's model (`hf_feature_extraction`, spec §7).
  huggingface: { url: "https://router.huggingface.co/hf-inference/models", model: "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2" },
} as const;

/** The configured embeddings endpoint, or null when embeddings are off (the default). */
export function embeddingsConfigFromEnv(): EmbeddingsConfig | null {
  const env = pickEnv(["EMBEDDINGS_PROVIDER", "EMBEDDINGS_API_URL", "EMBEDDINGS_MODEL", "EMBEDDINGS_API_KEY", "HF_API_TOKEN", "NEAR_DUPLICATE_THRESHOLD"]);
  const provider = env.EMBEDDINGS_PROVIDER;
  if (provider === "none") return null;
  return {
    provider,
    url: (env.EMBEDDINGS_API_URL ?? DEFAULTS[provider].url).replace(/\/+$/, ""),
    model: env.EMBEDDINGS_MODEL ?? DEFAULTS[provider].model,
    apiKey: env.EMBEDDINGS_API_KEY ?? (provider === "huggingface" ? env.HF_API_TOKEN : undefined),
    nearDuplicateThreshold: env.NEAR_DUPLICATE_THRESHOLD,
  };
}

const isVector = (value: unknown): value is number[] => Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === "number");

/** Token vectors (a feature-extraction pipeline without pooling) are mean-pooled into one sentence vector. */
function meanPool(tokens: number[][]): number[] {
  return tokens[0]!.map((_, i) => tokens.reduce((sum, token) => sum + token[i]!, 0) / tokens.length);
}

function vectorFrom(answer: unknown): number[] | null {
  if (isVector(answer)) return answer;
  if (Array.isArray(answer) && answer.length > 0 && answer.every(isVector)) return answer.length === 1 ? answer[0]! : meanPool(answer);
  if (Array.isArray(answer) && answer.length === 1) return vectorFrom(answer[0]);
  return null;
}

/**
 * One sentence embedding by HTTP: OpenAI-compatible `POST {url}/embeddings` (`{ data: [{ embedding }] }`),
 * text-embeddings-inference `POST {url}/embed` (`[[…]]`), or the Hugging Face Inference API feature-extraction
 * pipeline `POST {url}/{model}/pipeline/feature-extraction` (`[…]`, or token vectors that we mean-pool).
 */
export async function embedText(config: EmbeddingsConfig, text: string): Promise<number[]> {
  let answer: unknown;
  switch (config.provider) {
    case "openai":
      answer = ((await postJson(`${config.url}/embeddings`, { model: config.model, input: text }, { token: config.apiKey })) as {
        data?: { embedding?: unknown }[];
      })?.data?.[0]?.embedding;
      break;
    case "tei":
      answer = await postJson(`${config.url}/embed`, { inputs: text, truncate: true }, { token: config.apiKey });
      break;
    case "huggingface":
      answer = await postJson(`${config.url}/${config.model}/pipeline/feature-extraction`, { inputs: text }, { token: config.apiKey });
      break;
  }
  const vector = vectorFrom(answer);
  if (!vector) throw new ModelApiError(`The ${config.provider} embeddings endpoint answered without a vector.`, false);
  return vector;
}
