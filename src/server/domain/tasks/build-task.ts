import { sql } from "drizzle-orm";
import { validLabelsFor, mandatoryLabelsFor } from "@/server/domain/labels/definitions";
import type { TreeManagerSettings } from "@/server/domain/trees/config";
import type { DbOrTx } from "@/server/db/client";
import type { TaskType } from "@/server/db/schema";
import type { LabelTaskType, TaskPayload } from "./types";

export type BuildContext = { tx: DbOrTx; userId: string; lang: string; settings: TreeManagerSettings; random: () => number };

/** A label task's lists for `mode` (the `labels` entry of a hand-out plan, see `oa_task_payload`). */
export function labelSpec(type: LabelTaskType, mode: "simple" | "full", settings: TreeManagerSettings) {
  return {
    validLabels: validLabelsFor(type, mode, settings),
    mandatoryLabels: [...mandatoryLabelsFor(type, settings)],
    mode,
    disposition: mode === "full" ? "quality" : "spam",
  };
}

/**
 * A task's payload as the hand-out builds it (SQL `oa_task_payload`, the one builder of payloads), for callers
 * that record tasks outside the hand-out (the demo history).
 */
async function sqlPayload(ctx: BuildContext, type: TaskType, targetId: string, treeId: string | null, plan: object): Promise<TaskPayload> {
  const [row] = await ctx.tx.execute<{ payload: TaskPayload }>(sql`select oa_task_payload(${type}::task_type, ${targetId}::uuid,
    ${treeId}::uuid, ${ctx.userId}::uuid, ${ctx.lang}, ${JSON.stringify(plan)}::jsonb) as payload`);
  return row!.payload;
}

export function labelPayload(ctx: BuildContext, type: LabelTaskType, messageId: string, mode: "simple" | "full"): Promise<TaskPayload> {
  return sqlPayload(ctx, type, messageId, null, { labels: { [type]: labelSpec(type, mode, ctx.settings) } });
}

export function rankPayload(
  ctx: BuildContext,
  type: Extract<TaskType, "rank_assistant_replies" | "rank_prompter_replies">,
  parentId: string,
  treeId: string,
): Promise<TaskPayload> {
  return sqlPayload(ctx, type, parentId, treeId, { seed: String(ctx.random()) });
}
