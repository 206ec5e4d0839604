import { embedText } from "@/server/domain/embeddings/client";
import { findLiveMessageText, hasEmbedding, storeEmbedding } from "@/server/domain/embeddings/store";
import { MESSAGE_CREATED } from "../events";
import { type EventJob, MESSAGE_CONCURRENCY } from "../job";
import { modelCall } from "../model-call";

const EMBEDDINGS_OFF = "embeddings are off (EMBEDDINGS_PROVIDER=none)";

/**
 * message/created → sentence embedding (OA `hf_feature_extraction`, spec §7), stored per message and model; used to
 * warn about near-duplicate prompts. Idempotent like the toxicity job: skipped when present, stored by upsert.
 */
export const computeEmbeddingJob: EventJob = {
  id: "compute-embedding",
  name: "Compute the embedding of a new message",
  trigger: { event: MESSAGE_CREATED },
  retries: 5,
  concurrency: MESSAGE_CONCURRENCY,
  idempotency: "event.data.messageId",
  offReason: (deps) => (deps.embeddings() ? null : EMBEDDINGS_OFF),
  async run({ data, step, deps }) {
    const config = deps.embeddings();
    if (!config) return { skipped: EMBEDDINGS_OFF };
    const loaded = await step.run("load-message", async () => {
      if (await hasEmbedding(deps.db(), data.messageId, config.model)) return { skip: "already embedded" };
      const text = await findLiveMessageText(deps.db(), data.messageId);
      return text === null ? { skip: "message not found or deleted" } : { text };
    });
    if (loaded.text === undefined) return { skipped: loaded.skip };
    const text = loaded.text;
    const embedding = await step.run("embed", () => modelCall(() => embedText(config, text)));
    await step.run("store", () => storeEmbedding(deps.db(), data.messageId, config.model, embedding));
    return { messageId: data.messageId, model: config.model, dimensions: embedding.length };
  },
};
