import { z } from "zod";
import type { SamplingParameters } from "@/server/db/schema";

/**
 * Sampling parameters with the ranges of OA's chat config form (`website/src/components/Chat/ChatConfigForm.tsx`,
 * spec inference §1.3). The original server validated only types; we refuse out-of-range values at the boundary so
 * a worker never sees them. `null` switches a parameter off (the backend's default applies).
 */
export const SAMPLING_RANGES = {
  temperature: { min: 0.01, max: 2 },
  maxNewTokens: { min: 1, max: 1024 },
  topP: { min: 0, max: 1 },
  repetitionPenalty: { min: 1, max: 3 },
  topK: { min: 5, max: 2000 },
  typicalP: { min: 0, max: 1 },
} as const;

const range = (name: keyof typeof SAMPLING_RANGES) => {
  const { min, max } = SAMPLING_RANGES[name];
  return z.number().min(min, `${name} must be at least ${min}.`).max(max, `${name} can be at most ${max}.`);
};

export const ZSamplingParameters = z.object({
  topK: range("topK").int().nullable(),
  topP: range("topP").nullable(),
  typicalP: range("typicalP").nullable(),
  temperature: range("temperature").nullable(),
  repetitionPenalty: range("repetitionPenalty").nullable(),
  maxNewTokens: range("maxNewTokens").int(),
});

/** What a caller may send: any subset, applied over the chosen preset. */
export const ZSamplingOverrides = ZSamplingParameters.partial();
export type SamplingOverrides = z.infer<typeof ZSamplingOverrides>;

export type SamplingPreset = { name: string; description: string; sampling: SamplingParameters };

const preset = (name: string, description: string, values: Partial<SamplingParameters>): SamplingPreset => ({
  name,
  description,
  sampling: { topK: null, topP: null, typicalP: null, temperature: null, repetitionPenalty: null, maxNewTokens: 1024, ...values },
});

/**
 * OA's server presets (`inference/server/oasst_inference_server/routes/configs.py`, `DEFAULT_PARAMETER_CONFIGS`), the
 * same eight for every model. The first is the UI default.
 */
export const SAMPLING_PRESETS: readonly SamplingPreset[] = [
  preset("k50", "Top-k sampling with k=50", { topK: 50, topP: 0.95, temperature: 0.75, repetitionPenalty: 1.2 }),
  preset("k50-Creative", "Top-k sampling with k=50, higher temperature", { topK: 50, topP: 0.95, temperature: 0.85, repetitionPenalty: 1.2 }),
  preset("k50-Precise", "Top-k sampling with k=50, low temperature", { topK: 50, topP: 0.95, temperature: 0.1, repetitionPenalty: 1.2 }),
  preset("k50-Original", "Top-k sampling with k=50, highest temperature", { topK: 50, topP: 0.95, temperature: 0.9, repetitionPenalty: 1.2 }),
  // OA writes the penalty as 1/0.9; the plugin chain forces this preset.
  preset("k50-Plugins", "Top-k sampling with k=50 and a low temperature, for plugins", { topK: 50, temperature: 0.35, repetitionPenalty: 1 / 0.9 }),
  preset("nucleus9", "Nucleus sampling with p=0.9", { topP: 0.9, temperature: 0.8, repetitionPenalty: 1.2 }),
  preset("typical2", "Typical sampling with p=0.2", { temperature: 0.8, repetitionPenalty: 1.2, typicalP: 0.2 }),
  preset("typical3", "Typical sampling with p=0.3", { temperature: 0.8, repetitionPenalty: 1.2, typicalP: 0.3 }),
];

export const DEFAULT_PRESET_NAME = SAMPLING_PRESETS[0]!.name;

export function findPreset(name: string): SamplingPreset | undefined {
  return SAMPLING_PRESETS.find((candidate) => candidate.name === name);
}

/** The preset's values with the caller's overrides on top; overrides may switch a parameter off with `null`. */
export function resolveSampling(preset: SamplingPreset, overrides: SamplingOverrides = {}): SamplingParameters {
  const merged = { ...preset.sampling };
  for (const [key, value] of Object.entries(overrides) as [keyof SamplingParameters, number | null | undefined][]) {
    if (value !== undefined) (merged as Record<string, number | null>)[key] = value;
  }
  return merged;
}
