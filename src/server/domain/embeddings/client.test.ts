import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyToxicity } from "@/server/domain/toxicity/client";
import { type EmbeddingsConfig, embedText } from "./client";
import { bagOfWords, type FakeModelServer, startFakeModelServer } from "./fake-model-server.test-helper";
import { ModelApiError } from "./http";

let server: FakeModelServer;
beforeAll(async () => {
  server = await startFakeModelServer();
});
afterAll(() => server.close());

const config = (provider: EmbeddingsConfig["provider"], path: string): EmbeddingsConfig => ({
  provider, url: `${server.url}${path}`, model: "test/mini", apiKey: "secret", nearDuplicateThreshold: 0.9,
});

describe("embedText", () => {
  it.each([
    ["openai", "/v1", "/v1/embeddings"],
    ["tei", "", "/embed"],
    ["huggingface", "/models", "/models/test/mini/pipeline/feature-extraction"],
  ] as const)("speaks the %s protocol", async (provider, base, expectedPath) => {
    const vector = await embedText(config(provider, base), "bake bread at home");
    expect(vector).toEqual(bagOfWords("bake bread at home"));
    const request = server.requests.at(-1)!;
    expect(request.path).toBe(expectedPath);
    expect(request.authorization).toBe("Bearer secret");
    if (provider === "openai") expect(request.body).toEqual({ model: "test/mini", input: "bake bread at home" });
  });

  it("calls a 503 retriable and a 401 permanent", async () => {
    server.failNext(1, 503);
    const loading = await embedText(config("tei", ""), "x").catch((error: unknown) => error);
    expect(loading).toBeInstanceOf(ModelApiError);
    expect(loading).toMatchObject({ retriable: true, status: 503 });
    server.failNext(1, 401);
    await expect(embedText(config("tei", ""), "x")).rejects.toMatchObject({ retriable: false, status: 401 });
  });

  it("treats an unreachable server as retriable", async () => {
    const down: EmbeddingsConfig = { ...config("tei", ""), url: "http://127.0.0.1:1" };
    await expect(embedText(down, "x")).rejects.toMatchObject({ retriable: true });
  });
});

describe("classifyToxicity", () => {
  const toxicity = () => ({ url: `${server.url}/models`, model: "unitary/multilingual-toxic-xlm-roberta", token: "hf", flagThreshold: 0.9 });

  it("returns the top label and the toxic score", async () => {
    expect(await classifyToxicity(toxicity(), "I hate you")).toEqual({ label: "toxic", score: 0.97, toxicScore: 0.97 });
    const harmless = await classifyToxicity(toxicity(), "Have a nice day");
    expect(harmless).toMatchObject({ label: "non-toxic", score: 0.98 });
    expect(harmless.toxicScore).toBeCloseTo(0.02);
    expect(server.requests.at(-1)).toMatchObject({ path: "/models/unitary/multilingual-toxic-xlm-roberta", body: { inputs: "Have a nice day" } });
  });
});
