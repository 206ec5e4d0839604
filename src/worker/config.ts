import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { z } from "zod";
import { MODEL_CONFIGS } from "@/server/domain/chat/model-configs";
import { DEV_ECHO_MODEL } from "./engines/dev-echo";

/** The worker's settings, from the environment (README "Configuration"); a mistake stops it with one line. */

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => (value === undefined ? fallback : value === "true" || value === "1"));

const ZWorkerEnv = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }),
  WORKER_NAME: z.string().min(1).max(256).default(`${hostname()}-${process.pid}`),
  WORKER_ENGINE: z.enum(["openai", "gguf", "dev-echo"], { error: "must be openai, gguf or dev-echo" }),
  WORKER_MODELS: z
    .string()
    .transform((value) => [...new Set(value.split(",").map((name) => name.trim()).filter(Boolean))])
    .pipe(z.array(z.string()).min(1, "name at least one model config"))
    .superRefine((names, ctx) => {
      const unknown = names.filter((name) => !MODEL_CONFIGS.has(name));
      if (unknown.length > 0) ctx.addIssue({ code: "custom", message: `names unknown model config ${unknown.join(", ")} (see src/server/domain/chat/model-configs.ts)` });
    }),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  WORKER_PROMPT_FORMAT: z.enum(["oasst", "chatml"]).default("oasst"),
  WORKER_STOP_SEQUENCES: flag(true),
  WORKER_LEASE_SECONDS: seconds(30),
  WORKER_HEARTBEAT_SECONDS: seconds(5),
  WORKER_SHUTDOWN_GRACE_SECONDS: seconds(30),
  WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(100),
  WORKER_FLUSH_MS: z.coerce.number().int().min(0).max(5_000).default(100),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  OPENAI_API: z.enum(["chat", "completions"]).default("chat"),
  OPENAI_TIMEOUT_SECONDS: seconds(120),
  GGUF_MODEL_PATH: z.string().optional(),
  GGUF_CONTEXT_SIZE: z.coerce.number().int().min(16).optional(),
  GGUF_GPU: z.enum(["auto", "cuda", "vulkan", "metal", "false"]).default("auto"),
  GGUF_THREADS: z.coerce.number().int().min(1).optional(),
  DEV_ECHO_TOKEN_MS: z.coerce.number().int().min(0).max(5_000).default(40),
});

export type WorkerConfig = {
  databaseUrl: string;
  name: string;
  engine: "openai" | "gguf" | "dev-echo";
  models: string[];
  concurrency: number;
  promptFormat: "oasst" | "chatml";
  useStopSequences: boolean;
  leaseMs: number;
  heartbeatMs: number;
  shutdownGraceMs: number;
  pollMs: number;
  flushMs: number;
  openai: { baseUrl: string; apiKey?: string; model?: string; api: "chat" | "completions"; timeoutMs: number } | null;
  gguf: { modelPath: string; contextSize: number; gpu: "auto" | "cuda" | "vulkan" | "metal" | false; threads?: number } | null;
  /** dev-echo: pause between streamed pieces. */
  devEchoTokenMs: number;
};

export class WorkerConfigError extends Error {}

export function loadWorkerConfig(source: Record<string, string | undefined>): WorkerConfig {
  const cleaned = Object.fromEntries(Object.entries(source).map(([key, value]) => [key, value === "" ? undefined : value]));
  const parsed = ZWorkerEnv.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    throw new WorkerConfigError(`${name} ${cleaned[name] === undefined ? "is missing" : issue.message}`);
  }
  const env = parsed.data;
  if (env.WORKER_ENGINE === "openai" && !env.OPENAI_BASE_URL) {
    throw new WorkerConfigError("OPENAI_BASE_URL is missing (WORKER_ENGINE=openai), e.g. http://127.0.0.1:8000/v1");
  }
  if (env.WORKER_ENGINE === "gguf" && !env.GGUF_MODEL_PATH) throw new WorkerConfigError("GGUF_MODEL_PATH is missing (WORKER_ENGINE=gguf)");
  if (env.WORKER_ENGINE === "gguf" && !existsSync(env.GGUF_MODEL_PATH!)) throw new WorkerConfigError(`GGUF_MODEL_PATH ${env.GGUF_MODEL_PATH} does not exist`);
  // The development engine is not a model: it may serve only its own, clearly named config, and nothing else may.
  if (env.WORKER_ENGINE === "dev-echo" && env.WORKER_MODELS.some((name) => name !== DEV_ECHO_MODEL)) {
    throw new WorkerConfigError(`WORKER_MODELS must be ${DEV_ECHO_MODEL} with WORKER_ENGINE=dev-echo (it is not a real model)`);
  }
  if (env.WORKER_ENGINE !== "dev-echo" && env.WORKER_MODELS.includes(DEV_ECHO_MODEL)) {
    throw new WorkerConfigError(`WORKER_MODELS names ${DEV_ECHO_MODEL}, which only WORKER_ENGINE=dev-echo serves`);
  }
  if (env.WORKER_HEARTBEAT_SECONDS >= env.WORKER_LEASE_SECONDS) {
    throw new WorkerConfigError("WORKER_HEARTBEAT_SECONDS must be shorter than WORKER_LEASE_SECONDS");
  }
  const longestModel = Math.max(...env.WORKER_MODELS.map((name) => MODEL_CONFIGS.get(name)!.maxTotalLength));
  return {
    databaseUrl: env.DATABASE_URL,
    name: env.WORKER_NAME,
    engine: env.WORKER_ENGINE,
    models: env.WORKER_MODELS,
    concurrency: env.WORKER_CONCURRENCY,
    promptFormat: env.WORKER_PROMPT_FORMAT,
    useStopSequences: env.WORKER_STOP_SEQUENCES,
    leaseMs: env.WORKER_LEASE_SECONDS * 1000,
    heartbeatMs: env.WORKER_HEARTBEAT_SECONDS * 1000,
    shutdownGraceMs: env.WORKER_SHUTDOWN_GRACE_SECONDS * 1000,
    pollMs: env.WORKER_POLL_MS,
    flushMs: env.WORKER_FLUSH_MS,
    openai: env.OPENAI_BASE_URL
      ? { baseUrl: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL, api: env.OPENAI_API, timeoutMs: env.OPENAI_TIMEOUT_SECONDS * 1000 }
      : null,
    gguf: env.GGUF_MODEL_PATH
      ? {
          modelPath: env.GGUF_MODEL_PATH,
          // Default: room for the longest model config it serves (prompt + reply).
          contextSize: env.GGUF_CONTEXT_SIZE ?? longestModel,
          gpu: env.GGUF_GPU === "false" ? false : env.GGUF_GPU,
          threads: env.GGUF_THREADS,
        }
      : null,
    devEchoTokenMs: env.DEV_ECHO_TOKEN_MS,
  };
}
