import { describe, expect, it } from "vitest";
import { MODEL_CONFIGS, compatHash } from "./model-configs";
import { findPreset, resolveSampling, SAMPLING_PRESETS, ZSamplingParameters } from "./presets";

describe("presets and model configs (OA configs.py, model_configs.py)", () => {
  it("has OA's eight presets, all within the allowed ranges", () => {
    expect(SAMPLING_PRESETS).toHaveLength(8);
    for (const preset of SAMPLING_PRESETS) expect(ZSamplingParameters.safeParse(preset.sampling).success).toBe(true);
    expect(findPreset("k50-Plugins")!.sampling.repetitionPenalty).toBeCloseTo(1.1111, 3);
  });

  it("applies overrides over a preset, null switching one off", () => {
    expect(resolveSampling(findPreset("k50")!, { temperature: null, maxNewTokens: 10 })).toEqual({
      topK: 50, topP: 0.95, typicalP: null, temperature: null, repetitionPenalty: 1.2, maxNewTokens: 10,
    });
  });

  it("has OA's 25 model configs with their compat hashes, plus the development engine's", () => {
    expect([...MODEL_CONFIGS.keys()].filter((name) => name !== "dev-echo")).toHaveLength(25);
    expect(MODEL_CONFIGS.get("dev-echo")!.modelId).toBe("dev-echo (development only)");
    expect(compatHash(MODEL_CONFIGS.get("OA_SFT_Llama_30Bq_7")!)).toBe("OpenAssistant/oasst-sft-7-llama-30b-1792-1024-q");
  });
});
