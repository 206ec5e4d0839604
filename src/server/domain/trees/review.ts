import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { computeAcceptance, isAccepted } from "@/server/domain/labels/definitions";
import { reviewsNeeded } from "@/server/domain/quality/adaptive-reviews";
import { treeConfigForLanguage } from "./config";
import { checkRankingCondition } from "./conditions";
import type { TreeDeps } from "./deps";
import { runPromptLottery } from "./lottery";
import { enterTreeState, lockTreeState, type TreeStateRow } from "./transitions";

type ReviewedMessage = typeof messages.$inferSelect;

/** Labels of the message's completed task-based reviews (text_labels.id = task.id of a done task). */
async function loadReviews(tx: DbOrTx, messageId: string): Promise<Record<string, number>[]> {
  const rows = await tx.execute<{ labels: Record<string, number> }>(sql`
    select l.labels from text_labels l join tasks t on t.id = l.id where l.message_id = ${messageId} and t.done`);
  return rows.map((row) => row.labels);
}

/**
 * Decides a message once it has its reviews (spec §3.3). A prompt that passes waits for the lottery; one that fails
 * aborts its tree. A reply that passes starts counting toward the goal; one that fails is rejected (a decision is
 * never overwritten by a later rejection). Then the tree may move on to ranking.
 */
export async function decideReview(tx: DbOrTx, message: ReviewedMessage, deps: TreeDeps, locked?: TreeStateRow | null): Promise<void> {
  const tree = locked?.messageTreeId === message.messageTreeId ? locked : await lockTreeState(tx, message.messageTreeId);
  if (!tree) return;
  const settings = treeConfigForLanguage(deps.config, tree.lang);
  const isRoot = message.parentId === null;
  const needed = reviewsNeeded(message, settings);
  if (message.reviewCount >= needed && message.reviewResult !== true) {
    const threshold = isRoot ? settings.acceptanceThresholdInitialPrompt : settings.acceptanceThresholdReply;
    const accepted = isAccepted(computeAcceptance(await loadReviews(tx, message.id)), threshold);
    if (accepted || message.reviewResult === null) {
      await tx.update(messages).set({ reviewResult: accepted }).where(and(eq(messages.id, message.id)));
    }
    if (isRoot && tree.active && tree.state === "initial_prompt_review") {
      await enterTreeState(tx, tree, accepted ? "prompt_lottery_waiting" : "aborted_low_grade", deps);
      // The lottery may have moved this very tree on: the check below reads it again.
      await runPromptLottery(tx, tree.lang, deps);
      await checkRankingCondition(tx, message.messageTreeId, deps);
      return;
    }
  }
  await checkRankingCondition(tx, message.messageTreeId, deps, tree);
}
