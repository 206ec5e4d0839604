import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SamplingParameters } from "@/server/db/schema";
import { type MockOpenAiServer, startMockOpenAiServer } from "../test-support/mock-openai-server";
import { EngineError, type EngineRequest } from "./engine";
import { OpenAiCompatibleEngine } from "./openai-compatible";

const sampling: SamplingParameters = { topK: 50, topP: 0.95, typicalP: null, temperature: 0.75, repetitionPenalty: 1.2, maxNewTokens: 64 };
let server: MockOpenAiServer;

beforeAll(async () => {
  server = await startMockOpenAiServer();
});
afterAll(async () => {
  await server.close();
});

function request(overrides: Partial<EngineRequest> = {}): EngineRequest {
  return {
    prompt: { kind: "chat", messages: [{ role: "user", content: "Hi" }] },
    maxNewTokens: 64,
    sampling,
    doSample: true,
    seed: 7,
    stop: [],
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function collect(engine: OpenAiCompatibleEngine, req: EngineRequest) {
  const pieces: string[] = [];
  const generation = engine.generate(req);
  for (let step = await generation.next(); ; step = await generation.next()) {
    if (step.done) return { pieces, finish: step.value };
    pieces.push(step.value);
  }
}

const engineFor = (api: "chat" | "completions", timeoutMs = 5_000) =>
  new OpenAiCompatibleEngine({ baseUrl: server.baseUrl, apiKey: "secret", model: "tiny", api, timeoutMs });

describe("OpenAI-compatible engine against a local streaming server", () => {
  it("streams chat completions and sends the sampling parameters", async () => {
    Object.assign(server.behaviour, { tokens: ["Hel", "lo", " ✓"], splitEvery: 0, failWithStatus: null, tokenDelayMs: 0 });
    const result = await collect(engineFor("chat"), request());
    expect(result).toEqual({ pieces: ["Hel", "lo", " ✓"], finish: "eos" });
    expect(server.requests.at(-1)).toMatchObject({
      path: "/chat/completions",
      body: { model: "tiny", stream: true, max_tokens: 64, temperature: 0.75, top_p: 0.95, top_k: 50, repetition_penalty: 1.2, seed: 7, messages: [{ role: "user", content: "Hi" }] },
    });
    expect(server.requests.at(-1)!.body).not.toHaveProperty("typical_p");
  });

  it("streams text completions from a raw prompt, with events split mid-line every 7 bytes", async () => {
    const tokens = Array.from({ length: 17 }, (_, i) => `t${i} `);
    Object.assign(server.behaviour, { tokens, splitEvery: 7 });
    const result = await collect(engineFor("completions"), request({ prompt: { kind: "text", text: "<|prompter|>Hi</s><|assistant|>" }, doSample: false, stop: ["</s>"] }));
    expect(result.pieces).toEqual(tokens);
    expect(server.requests.at(-1)).toMatchObject({ path: "/completions", body: { prompt: "<|prompter|>Hi</s><|assistant|>", temperature: 0, stop: ["</s>"] } });
    server.behaviour.splitEvery = 0;
  });

  it("reports `length` when the server stopped at max_tokens", async () => {
    Object.assign(server.behaviour, { tokens: ["a", "b", "c", "d"] });
    expect(await collect(engineFor("chat"), request({ maxNewTokens: 2 }))).toEqual({ pieces: ["a", "b"], finish: "length" });
  });

  it("stops and closes the connection when aborted", async () => {
    Object.assign(server.behaviour, { tokens: Array.from({ length: 100 }, () => "x"), tokenDelayMs: 20 });
    const controller = new AbortController();
    const generation = engineFor("chat").generate(request({ signal: controller.signal }));
    await generation.next();
    controller.abort();
    let step = await generation.next();
    while (!step.done) step = await generation.next();
    expect(step.value).toBe("aborted");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.openStreams()).toBe(0);
    server.behaviour.tokenDelayMs = 0;
  });

  it("turns HTTP errors into engine errors: 5xx and 429 retryable, 4xx not", async () => {
    server.behaviour.failWithStatus = 503;
    const busy = await collect(engineFor("chat"), request()).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(EngineError);
    expect(busy).toMatchObject({ retryable: true });
    server.behaviour.failWithStatus = 400;
    const refused = await collect(engineFor("chat"), request()).catch((error: unknown) => error);
    expect(refused).toMatchObject({ retryable: false, detail: expect.stringContaining("400"), message: "The model could not answer this request." });
    server.behaviour.failWithStatus = null;
  });

  it("reports an unreachable server and a stalled stream as retryable", async () => {
    const unreachable = new OpenAiCompatibleEngine({ baseUrl: "http://127.0.0.1:9/v1", model: "x", api: "chat", timeoutMs: 2_000 });
    expect(await collect(unreachable, request()).catch((error: unknown) => error)).toMatchObject({ retryable: true, detail: expect.stringContaining("cannot be reached") });
    Object.assign(server.behaviour, { tokens: ["a", "b"], tokenDelayMs: 1_000 });
    expect(await collect(engineFor("chat", 200), request()).catch((error: unknown) => error)).toMatchObject({ retryable: true, detail: expect.stringContaining("sent nothing") });
    server.behaviour.tokenDelayMs = 0;
  });

  it("keeps URLs, error codes and upstream bodies out of the message users read (issue 12 #5)", async () => {
    const unreachable = new OpenAiCompatibleEngine({ baseUrl: "http://127.0.0.1:9/v1", model: "x", api: "chat", timeoutMs: 2_000 });
    const failures = [await collect(unreachable, request()).catch((error: unknown) => error)];
    for (const status of [400, 429, 500, 503]) {
      server.behaviour.failWithStatus = status;
      failures.push(await collect(engineFor("chat"), request()).catch((error: unknown) => error));
    }
    server.behaviour.failWithStatus = null;
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(EngineError);
      const { message, detail } = failure as EngineError;
      expect(message).not.toMatch(/https?:|127\.0\.0\.1|\b\d{3}\b|UND_ERR|ECONN|mock failure/);
      expect(detail.length).toBeGreaterThan(0);
    }
  });

  it("treats a stream that ends without [DONE] or a finish reason as cut off, not complete (issue 12 #4)", async () => {
    Object.assign(server.behaviour, { tokens: ["Half", " a"], cutOffNext: 1 });
    const cut = await collect(engineFor("chat"), request()).catch((error: unknown) => error);
    expect(cut).toBeInstanceOf(EngineError);
    expect(cut).toMatchObject({ kind: "cutOff", retryable: true, message: "The model's reply was cut off before it was finished." });
    // A finish reason without [DONE] (some servers) still counts as a complete reply.
    Object.assign(server.behaviour, { tokens: ["Whole"], omitDone: true });
    expect(await collect(engineFor("chat"), request())).toEqual({ pieces: ["Whole"], finish: "eos" });
    server.behaviour.omitDone = false;
  });
});
