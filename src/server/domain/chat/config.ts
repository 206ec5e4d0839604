import { z } from "zod";

/**
 * Limits of the chat and its inference queue. Defaults follow OA's production settings
 * (`ansible/inference/deploy-server.yaml`, spec inference §2.4) where it had one; each can be set with the
 * `CHAT_*` variable named next to it.
 */
export type ChatConfig = {
  /** CHAT_QUEUE_MAX_SIZE — queued replies over all models before new requests get "busy" (OA WORK_QUEUE_MAX_SIZE=100). */
  queueMaxSize: number;
  /** CHAT_MAX_PENDING_PER_USER — a user's queued or running replies; 4 leaves room for OA's 3 drafts plus one. */
  maxPendingPerUser: number;
  /** CHAT_QUEUE_TIMEOUT_SECONDS — a reply nobody picked up by then times out (OA ASSISTANT_MESSAGE_TIMEOUT=120). */
  queueTimeoutMs: number;
  /** CHAT_MAX_ATTEMPTS — claims of one job (a worker that dies costs one) before it fails for good. */
  maxAttempts: number;
  /** CHAT_MESSAGE_MAX_LENGTH — characters of one prompter message (OA MESSAGE_MAX_LENGTH; unset there). */
  messageMaxLength: number;
  /** CHAT_MAX_MESSAGES — messages per chat (OA CHAT_MAX_MESSAGES; unset there). */
  chatMaxMessages: number;
  /** CHAT_ALLOWED_MODELS — comma list of model config names offered to users, or `*` (OA ALLOWED_MODEL_CONFIG_NAMES). */
  allowedModels: readonly string[] | "*";
  /** How often a reply stream looks at the database (no LISTEN/NOTIFY on the embedded server); text arrives in
   *  batches of ~100 ms anyway. */
  streamPollMs: number;
  /** Faster polling until the first token has been seen: the wait users notice most. */
  streamFirstTokenPollMs: number;
  /** A worker whose heartbeat is older than this is shown as unhealthy and not counted as serving a model. */
  workerStaleMs: number;
  /** Refuse a reply at once (CHAT_MODEL_UNAVAILABLE) when no live worker serves its model, instead of letting it wait
   *  for the queue timeout. Off only where jobs are deliberately queued before any worker starts (tests, benchmarks). */
  requireLiveWorker: boolean;
  /** NUM_GENERATED_DRAFTS — replies written at once when the user regenerates, to pick the best from (OA website,
   *  default 3); 1 turns drafts off. Opted-out chats always get one, since the pick is recorded for training. */
  numGeneratedDrafts: number;
};

export const DEFAULT_CHAT_CONFIG: ChatConfig = {
  queueMaxSize: 100,
  maxPendingPerUser: 4,
  queueTimeoutMs: 120_000,
  maxAttempts: 3,
  messageMaxLength: 20_000,
  chatMaxMessages: 1_000,
  allowedModels: "*",
  streamPollMs: 150,
  streamFirstTokenPollMs: 50,
  workerStaleMs: 30_000,
  requireLiveWorker: true,
  numGeneratedDrafts: 3,
};

const positiveInt = z.coerce.number().int().positive();

const ZChatEnv = z.object({
  CHAT_QUEUE_MAX_SIZE: positiveInt.optional(),
  CHAT_MAX_PENDING_PER_USER: positiveInt.optional(),
  CHAT_QUEUE_TIMEOUT_SECONDS: positiveInt.optional(),
  CHAT_MAX_ATTEMPTS: positiveInt.optional(),
  CHAT_MESSAGE_MAX_LENGTH: positiveInt.optional(),
  CHAT_MAX_MESSAGES: positiveInt.optional(),
  CHAT_ALLOWED_MODELS: z.string().optional(),
  NUM_GENERATED_DRAFTS: z.coerce.number().int().min(1).max(8).optional(),
});

export function loadChatConfig(source: Record<string, string | undefined>, base = DEFAULT_CHAT_CONFIG): ChatConfig {
  const cleaned = Object.fromEntries(Object.entries(source).map(([key, value]) => [key, value === "" ? undefined : value]));
  const parsed = ZChatEnv.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const env = parsed.data;
  const models = env.CHAT_ALLOWED_MODELS?.split(",").map((name) => name.trim()).filter(Boolean);
  return {
    ...base,
    queueMaxSize: env.CHAT_QUEUE_MAX_SIZE ?? base.queueMaxSize,
    maxPendingPerUser: env.CHAT_MAX_PENDING_PER_USER ?? base.maxPendingPerUser,
    queueTimeoutMs: env.CHAT_QUEUE_TIMEOUT_SECONDS !== undefined ? env.CHAT_QUEUE_TIMEOUT_SECONDS * 1000 : base.queueTimeoutMs,
    maxAttempts: env.CHAT_MAX_ATTEMPTS ?? base.maxAttempts,
    messageMaxLength: env.CHAT_MESSAGE_MAX_LENGTH ?? base.messageMaxLength,
    chatMaxMessages: env.CHAT_MAX_MESSAGES ?? base.chatMaxMessages,
    allowedModels: !models || models.includes("*") ? base.allowedModels : models,
    numGeneratedDrafts: env.NUM_GENERATED_DRAFTS ?? base.numGeneratedDrafts,
  };
}

let cached: ChatConfig | undefined;

/** The configuration from the environment, read once per process. */
export function getChatConfig(): ChatConfig {
  cached ??= loadChatConfig(process.env);
  return cached;
}
