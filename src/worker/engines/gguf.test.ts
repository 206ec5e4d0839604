import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SamplingParameters } from "@/server/db/schema";
import { buildTextPrompt } from "@/server/domain/chat/prompt";
import { writeTinyLlamaGguf } from "../test-support/tiny-gguf";
import type { EngineRequest, FinishReason } from "./engine";
import { GgufEngine } from "./gguf";

/** Real generation through node-llama-cpp on the CPU, with a random-weight llama written by the test. */
const sampling: SamplingParameters = { topK: null, topP: null, typicalP: null, temperature: null, repetitionPenalty: null, maxNewTokens: 24 };
let dir: string;
let engine: GgufEngine;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "oa-gguf-"));
  const file = path.join(dir, "tiny.gguf");
  writeTinyLlamaGguf(file, { embedding: 32, layers: 1 });
  engine = await GgufEngine.load({ modelPath: file, contextSize: 256, sequences: 2, gpu: false, threads: 1 });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const prompt = buildTextPrompt([{ role: "prompter", content: "Hello, tiny model!" }], { systemPrompt: null, userProfile: null, userResponseInstructions: null }, "oasst", "</s>");

function request(overrides: Partial<EngineRequest> = {}): EngineRequest {
  return { prompt: { kind: "text", text: prompt }, maxNewTokens: 24, sampling, doSample: false, seed: 1, stop: [], signal: new AbortController().signal, ...overrides };
}

async function collect(req: EngineRequest): Promise<{ text: string; pieces: number; finish: FinishReason }> {
  let text = "";
  let pieces = 0;
  const generation = engine.generate(req);
  for (let step = await generation.next(); ; step = await generation.next()) {
    if (step.done) return { text, pieces, finish: step.value };
    text += step.value;
    pieces++;
  }
}

describe("GGUF engine (node-llama-cpp, CPU)", () => {
  it("loads the model on the CPU and exposes its tokenizer and EOS", () => {
    expect(engine.backend).toBe("cpu");
    expect(engine.eosText).toBe("</s>");
    expect(engine.contextSize).toBe(256);
    const tokens = engine.tokenizer.encode("abc def");
    expect(engine.tokenizer.decode(tokens)).toContain("abc def");
  });

  it("streams greedy output deterministically and stops at max_new_tokens", async () => {
    const first = await collect(request());
    const second = await collect(request());
    expect(first.pieces).toBeGreaterThan(0);
    expect(first.text).toBe(second.text);
    expect(first.finish === "length" || first.finish === "eos").toBe(true);
  });

  it("samples with temperature, top-k, top-p, repetition penalty and a seed", async () => {
    const sampled = { ...sampling, temperature: 0.9, topK: 40, topP: 0.9, repetitionPenalty: 1.2 };
    const a = await collect(request({ doSample: true, seed: 42, sampling: sampled }));
    const b = await collect(request({ doSample: true, seed: 42, sampling: sampled }));
    expect(a.text).toBe(b.text);
  });

  it("runs two generations side by side on separate sequences", async () => {
    const [a, b] = await Promise.all([collect(request()), collect(request())]);
    expect(a.text).toBe(b.text);
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const generation = engine.generate(request({ maxNewTokens: 200, signal: controller.signal }));
    await generation.next();
    controller.abort();
    let step = await generation.next();
    while (!step.done) step = await generation.next();
    expect(step.value).toBe("aborted");
  });
});
