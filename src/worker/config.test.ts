import { describe, expect, it } from "vitest";
import { loadWorkerConfig } from "./config";

const base = { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/oa", WORKER_ENGINE: "openai", WORKER_MODELS: "_lorem", OPENAI_BASE_URL: "http://127.0.0.1:8000/v1" };

describe("loadWorkerConfig", () => {
  it("applies defaults", () => {
    const config = loadWorkerConfig(base);
    expect(config).toMatchObject({ engine: "openai", models: ["_lorem"], concurrency: 1, promptFormat: "oasst", leaseMs: 30_000, useStopSequences: true });
    expect(config.openai).toMatchObject({ api: "chat", timeoutMs: 120_000 });
  });

  it("runs the development engine with nothing but the database", () => {
    const config = loadWorkerConfig({ DATABASE_URL: base.DATABASE_URL, WORKER_ENGINE: "dev-echo", WORKER_MODELS: "dev-echo" });
    expect(config).toMatchObject({ engine: "dev-echo", models: ["dev-echo"], openai: null, gguf: null, devEchoTokenMs: 40 });
  });

  it.each([
    [{ DATABASE_URL: undefined }, "DATABASE_URL is missing"],
    [{ WORKER_ENGINE: "tgi" }, "WORKER_ENGINE must be openai, gguf or dev-echo"],
    [{ WORKER_ENGINE: "dev-echo", WORKER_MODELS: "OA_SFT_Llama_30B_6" }, "WORKER_MODELS must be dev-echo with WORKER_ENGINE=dev-echo"],
    [{ WORKER_MODELS: "dev-echo" }, "only WORKER_ENGINE=dev-echo serves"],
    [{ WORKER_MODELS: "_lorem, gpt-9" }, "unknown model config gpt-9"],
    [{ WORKER_MODELS: " , " }, "WORKER_MODELS"],
    [{ OPENAI_BASE_URL: "" }, "OPENAI_BASE_URL is missing"],
    [{ WORKER_ENGINE: "gguf" }, "GGUF_MODEL_PATH is missing"],
    [{ WORKER_ENGINE: "gguf", GGUF_MODEL_PATH: "/nope.gguf" }, "does not exist"],
    [{ WORKER_LEASE_SECONDS: "2", WORKER_HEARTBEAT_SECONDS: "5" }, "shorter than WORKER_LEASE_SECONDS"],
    [{ WORKER_CONCURRENCY: "0" }, "WORKER_CONCURRENCY"],
  ])("refuses %j with one clear line", (override, message) => {
    expect(() => loadWorkerConfig({ ...base, ...override })).toThrow(message);
  });
});
