import { findLiveMessageText } from "@/server/domain/embeddings/store";
import { classifyToxicity } from "@/server/domain/toxicity/client";
import { hasToxicity, storeToxicity } from "@/server/domain/toxicity/store";
import { MESSAGE_CREATED } from "../events";
import { type EventJob, MESSAGE_CONCURRENCY } from "../job";
import { modelCall } from "../model-call";

const TOXICITY_OFF = "toxicity scoring is off (TOXICITY_PROVIDER=none)";

/**
 * message/created → toxicity score (OA `toxicity` Celery task, spec §7), stored per message and model; a score over
 * the threshold puts the message in the moderators' flagged queue. Idempotent: a message already scored with this
 * model is skipped, and storing is an upsert.
 */
export const scoreToxicityJob: EventJob = {
  id: "score-toxicity",
  name: "Score the toxicity of a new message",
  trigger: { event: MESSAGE_CREATED },
  retries: 5,
  concurrency: MESSAGE_CONCURRENCY,
  idempotency: "event.data.messageId",
  offReason: (deps) => (deps.toxicity() ? null : TOXICITY_OFF),
  async run({ data, step, deps }) {
    const config = deps.toxicity();
    if (!config) return { skipped: TOXICITY_OFF };
    const loaded = await step.run("load-message", async () => {
      if (await hasToxicity(deps.db(), data.messageId, config.model)) return { skip: "already scored" };
      const text = await findLiveMessageText(deps.db(), data.messageId);
      return text === null ? { skip: "message not found or deleted" } : { text };
    });
    if (loaded.text === undefined) return { skipped: loaded.skip };
    const text = loaded.text;
    const result = await step.run("classify", () => modelCall(() => classifyToxicity(config, text)));
    const flagged = await step.run("store", () => storeToxicity(deps.db(), data.messageId, config.model, result, config.flagThreshold));
    return { messageId: data.messageId, model: config.model, ...result, flagged };
  },
};
