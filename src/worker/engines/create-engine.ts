import { getModelConfigOrThrow } from "@/server/domain/chat/model-configs";
import type { WorkerConfig } from "../config";
import { DevEchoEngine } from "./dev-echo";
import type { Engine } from "./engine";
import { OpenAiCompatibleEngine } from "./openai-compatible";

/** The engine the configuration asks for; the GGUF one is imported only when used (node-llama-cpp is large). */
export async function createEngine(config: WorkerConfig): Promise<Engine> {
  if (config.engine === "dev-echo") return new DevEchoEngine({ tokenDelayMs: config.devEchoTokenMs });
  if (config.engine === "openai") {
    const openai = config.openai!;
    return new OpenAiCompatibleEngine({
      baseUrl: openai.baseUrl,
      apiKey: openai.apiKey,
      // One upstream model serves every model config this worker names; by default the first one's model id.
      model: openai.model ?? getModelConfigOrThrow(config.models[0]!).modelId,
      api: openai.api,
      timeoutMs: openai.timeoutMs,
    });
  }
  const { GgufEngine } = await import("./gguf");
  return GgufEngine.load({ ...config.gguf!, sequences: config.concurrency });
}
