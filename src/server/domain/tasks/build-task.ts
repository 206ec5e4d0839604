import { validLabelsFor, mandatoryLabelsFor } from "@/server/domain/labels/definitions";
import type { TreeManagerSettings } from "@/server/domain/trees/config";
import type { DbOrTx } from "@/server/db/client";
import type { TaskType } from "@/server/db/schema";
import { loadConversation, loadThreadAndRankableReplies, toConversationMessage } from "./conversation";
import type { LabelTaskType, TaskPayload } from "./types";

/** Fisher–Yates with the injected random source, so tests can fix the order. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export type BuildContext = { tx: DbOrTx; userId: string; lang: string; settings: TreeManagerSettings; random: () => number };

export function initialPromptPayload(lang: string): TaskPayload {
  return { type: "initial_prompt", lang, hint: null };
}

export async function labelPayload(
  ctx: BuildContext,
  type: LabelTaskType,
  messageId: string,
  mode: "simple" | "full",
): Promise<TaskPayload> {
  return {
    type,
    lang: ctx.lang,
    messageId,
    conversation: await loadConversation(ctx.tx, messageId, ctx.userId),
    validLabels: validLabelsFor(type, mode, ctx.settings),
    mandatoryLabels: [...mandatoryLabelsFor(type, ctx.settings)],
    mode,
    disposition: mode === "full" ? "quality" : "spam",
  };
}

export async function rankPayload(
  ctx: BuildContext,
  type: Extract<TaskType, "rank_assistant_replies" | "rank_prompter_replies">,
  parentId: string,
  treeId: string,
): Promise<TaskPayload> {
  const { thread, replies: rows } = await loadThreadAndRankableReplies(ctx.tx, parentId, ctx.userId);
  // Synthetic replies are only revealed when all of them are (OA: otherwise `synthetic` is nulled).
  const revealSynthetic = rows.length > 0 && rows.every((row) => row.synthetic);
  return {
    type,
    lang: ctx.lang,
    conversation: thread.map((row) => toConversationMessage(row, ctx.userId)),
    replies: shuffled(rows.map((row) => toConversationMessage(row, ctx.userId, revealSynthetic)), ctx.random),
    rankingParentId: parentId,
    messageTreeId: treeId,
    revealSynthetic,
  };
}
