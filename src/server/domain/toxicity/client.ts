import { pickEnv } from "@/env";
import { ModelApiError, postJson } from "@/server/domain/embeddings/http";

export type ToxicityConfig = {
  /** Hugging Face Inference API models URL (or a compatible self-hosted endpoint). */
  url: string;
  model: string;
  token?: string;
  /** A toxic score at or above this sends the message to the moderators' queue. */
  flagThreshold: number;
};

export type ToxicityResult = {
  /** The top label and its score, as OA stored them (`message_toxicity`). */
  label: string;
  score: number;
  /** The highest score among labels that mean "toxic" in some way; 0 when only harmless labels came back. */
  toxicScore: number;
};

/** The configured classifier, or null when toxicity scoring is off (the default; OA production ran without it). */
export function toxicityConfigFromEnv(): ToxicityConfig | null {
  const env = pickEnv(["TOXICITY_PROVIDER", "TOXICITY_API_URL", "TOXICITY_MODEL", "TOXICITY_FLAG_THRESHOLD", "HF_API_TOKEN"]);
  if (env.TOXICITY_PROVIDER === "none") return null;
  return { url: env.TOXICITY_API_URL.replace(/\/+$/, ""), model: env.TOXICITY_MODEL, token: env.HF_API_TOKEN, flagThreshold: env.TOXICITY_FLAG_THRESHOLD };
}

/** Labels that say "not toxic" across the common classifiers (unitary, martin-ha, s-nlp, bare LABEL_0). */
const HARMLESS_LABEL = /^(non[-_ ]?toxic|not[-_ ]?toxic|neutral|normal|safe|ok|label_0)$/i;

type Score = { label: string; score: number };
const isScore = (value: unknown): value is Score =>
  typeof value === "object" && value !== null && typeof (value as Score).label === "string" && typeof (value as Score).score === "number";

/**
 * Classifies one text with a Hugging Face text-classification model (OA `toxicity` job, spec §7:
 * `unitary/multilingual-toxic-xlm-roberta`). The API answers `[[{label, score}, …]]` (or a flat list).
 */
export async function classifyToxicity(config: ToxicityConfig, text: string): Promise<ToxicityResult> {
  const answer = await postJson(`${config.url}/${config.model}`, { inputs: text }, { token: config.token });
  const scores = (Array.isArray(answer) && Array.isArray(answer[0]) ? answer[0] : answer) as unknown;
  if (!Array.isArray(scores) || scores.length === 0 || !scores.every(isScore)) {
    throw new ModelApiError("The toxicity endpoint answered without label scores.", false);
  }
  const top = scores.reduce((best, next) => (next.score > best.score ? next : best));
  const toxicScore = Math.max(0, ...scores.filter((s) => !HARMLESS_LABEL.test(s.label)).map((s) => s.score));
  return { label: top.label, score: top.score, toxicScore };
}
