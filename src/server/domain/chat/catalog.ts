import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import type { ChatConfig } from "./config";
import { allowedModelConfigs, compatHash, DEV_ECHO_MODEL } from "./model-configs";
import { SAMPLING_PRESETS, SAMPLING_RANGES, ZSamplingParameters } from "./presets";

/** What the chat's model picker needs (OA `GET /configs/model_configs`), plus which models have a worker now. */

export const ZSamplingPreset = z.object({ name: z.string(), description: z.string(), sampling: ZSamplingParameters });

export const ZModelListing = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      /** What the picker shows: the name, or a longer label where a name could mislead (the development engine). */
      label: z.string(),
      modelId: z.string(),
      maxInputLength: z.number().int(),
      maxTotalLength: z.number().int(),
      quantized: z.boolean(),
      compatHash: z.string(),
      /** Workers serving it with a fresh heartbeat; 0: not available right now (a reply is refused at once). */
      workersOnline: z.number().int(),
    }),
  ),
  /** The same presets apply to every model, as in OA; the first is the default. */
  presets: z.array(ZSamplingPreset),
  ranges: z.record(z.string(), z.object({ min: z.number(), max: z.number() })),
});
export type ModelListing = z.infer<typeof ZModelListing>;

export async function listModels(db: DbOrTx, config: ChatConfig): Promise<ModelListing> {
  const rows = await db.execute<{ model: string; n: number }>(sql`
    select model, count(*)::int as n
    from inference_workers, jsonb_array_elements_text(models) as model
    where status = 'online' and last_heartbeat_at > now() - ${config.workerStaleMs}::integer * interval '1 millisecond'
    group by model`);
  const online = new Map([...rows].map((row) => [row.model, row.n]));
  return {
    models: allowedModelConfigs(config.allowedModels).map((model) => ({
      ...model,
      label: model.name === DEV_ECHO_MODEL ? model.modelId : model.name,
      compatHash: compatHash(model),
      workersOnline: online.get(model.name) ?? 0,
    })),
    presets: SAMPLING_PRESETS.map((preset) => ({ ...preset, sampling: { ...preset.sampling } })),
    ranges: SAMPLING_RANGES,
  };
}
