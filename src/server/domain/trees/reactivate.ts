import { and, eq, isNotNull } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages, type TreeState } from "@/server/db/schema";
import { checkRankingCondition, checkScoringCondition } from "./conditions";
import type { TreeDeps } from "./deps";
import { runPromptLottery } from "./lottery";
import { enterTreeState, lockTreeState, type TreeStateRow } from "./transitions";

/**
 * Where an initial prompt goes back to when its tree is restarted, decided from its review (fix §8.8: OA always put
 * it back into initial_prompt_review, where a prompt that already had its reviews is never offered again).
 */
function promptStateFor(root: { reviewResult: boolean | null }): TreeState {
  if (root.reviewResult === true) return "prompt_lottery_waiting";
  if (root.reviewResult === false) return "aborted_low_grade";
  return "initial_prompt_review";
}

/**
 * Restarts a tree (OA `_reactivate_tree`, spec §3.2): a tree that already grew (it won the lottery, was imported, or
 * simply has replies) goes back to `growing` and is checked for ranking and scoring at once; a prompt goes to the
 * state its review decides. A prompt waiting for the lottery stays there. Expects the tree row locked by the caller.
 */
export async function reactivateTree(tx: DbOrTx, tree: TreeStateRow, deps: TreeDeps): Promise<TreeStateRow> {
  if (tree.state === "prompt_lottery_waiting") return tree;
  const [root] = await tx
    .select({ reviewResult: messages.reviewResult, deleted: messages.deleted })
    .from(messages)
    .where(eq(messages.id, tree.messageTreeId));
  // A tree whose prompt is gone has nothing to restart (moderators undelete the prompt first).
  if (!root || root.deleted) return tree;
  const treeId = tree.messageTreeId;
  const [reply] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.messageTreeId, tree.messageTreeId), isNotNull(messages.parentId)))
    .limit(1);
  if (tree.wonPromptLotteryDate !== null || tree.origin !== null || reply) {
    await enterTreeState(tx, tree, "growing", deps);
    await checkRankingCondition(tx, treeId, deps);
    await checkScoringCondition(tx, treeId, deps);
  } else {
    const next = promptStateFor(root);
    await enterTreeState(tx, tree, next, deps);
    if (next === "prompt_lottery_waiting") await runPromptLottery(tx, tree.lang, deps);
  }
  return (await lockTreeState(tx, treeId))!;
}
