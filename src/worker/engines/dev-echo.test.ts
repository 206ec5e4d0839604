import { describe, expect, it } from "vitest";
import type { SamplingParameters } from "@/server/db/schema";
import { DevEchoEngine, devEchoReply } from "./dev-echo";
import type { EngineRequest, FinishReason } from "./engine";

const sampling: SamplingParameters = { topK: null, topP: null, typicalP: null, temperature: null, repetitionPenalty: null, maxNewTokens: 1024 };

function request(text: string, overrides: Partial<EngineRequest> = {}): EngineRequest {
  return {
    prompt: { kind: "chat", messages: [{ role: "system", content: "Be nice" }, { role: "user", content: text }] },
    maxNewTokens: 1024,
    sampling,
    doSample: true,
    seed: 42,
    stop: [],
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function collect(engine: DevEchoEngine, req: EngineRequest) {
  const pieces: string[] = [];
  const generation = engine.generate(req);
  let step = await generation.next();
  while (!step.done) {
    pieces.push(step.value);
    step = await generation.next();
  }
  return { pieces, finish: step.value as FinishReason };
}

describe("dev-echo (development only)", () => {
  it("streams a labelled reply that quotes and summarises the last user message", async () => {
    const prompt = "How do tides work? The moon pulls the oceans, and the moon moves.";
    const { pieces, finish } = await collect(new DevEchoEngine({ tokenDelayMs: 0 }), request(prompt));
    const text = pieces.join("");
    expect(finish).toBe("eos");
    expect(pieces.length).toBeGreaterThan(20);
    expect(text).toBe(devEchoReply(request(prompt)));
    expect(text.startsWith("**dev-echo (development only)** — not a language model")).toBe(true);
    expect(text).toContain(`> ${prompt}`);
    expect(text).toContain("**First sentence:** How do tides work?");
    expect(text).toContain("**Key words:** moon, moves, oceans, pulls, tides");
    expect(text).toContain("13 words, 65 characters");
  });

  it("is deterministic per prompt and seed; a new seed is a different draft", () => {
    expect(devEchoReply(request("Same"))).toBe(devEchoReply(request("Same")));
    expect(devEchoReply(request("Same", { seed: 7 }))).not.toBe(devEchoReply(request("Same")));
  });

  it("honours max_new_tokens and a stop", async () => {
    const engine = new DevEchoEngine({ tokenDelayMs: 0 });
    expect(await collect(engine, request("Hello", { maxNewTokens: 3 }))).toMatchObject({ finish: "length", pieces: { length: 3 } });
    const controller = new AbortController();
    const generation = new DevEchoEngine({ tokenDelayMs: 20 }).generate(request("Hello", { signal: controller.signal }));
    await generation.next();
    controller.abort();
    let step = await generation.next();
    while (!step.done) step = await generation.next();
    expect(step.value).toBe("aborted");
  });
});
