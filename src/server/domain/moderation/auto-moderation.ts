import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages, messageTreeStates, type TreeState } from "@/server/db/schema";
import { reviewsNeeded } from "@/server/domain/quality/adaptive-reviews";
import { treeConfigForLanguage, type TreeManagerSettings } from "@/server/domain/trees/config";
import { checkRankingCondition } from "@/server/domain/trees/conditions";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { runPromptLottery } from "@/server/domain/trees/lottery";
import { enterTreeState, lockTreeState } from "@/server/domain/trees/transitions";
import { markSubtreeDeleted } from "./subtree";

export type AutoModerationAction = "tree_aborted" | "subtree_deleted" | "tree_halted";

/** Auto-moderation only acts while a tree is still being reviewed or grown (spec §3.6). */
const MODERATED_STATES = new Set<TreeState>(["initial_prompt_review", "growing"]);

type MessageFacts = Pick<
  typeof messages.$inferSelect, "id" | "parentId" | "messageTreeId" | "deleted" | "reviewResult" | "reviewCount" | "reviewsWanted" | "emojis"
>;

/**
 * Roots, accepted messages and replies still under review count; a reply rejected after its reviews is already out
 * of the tree (OA `query_moderation_bad_messages`).
 */
function isEligible(message: MessageFacts, settings: TreeManagerSettings): boolean {
  return message.parentId === null || message.reviewResult === true || message.reviewCount < reviewsNeeded(message, settings);
}

async function readMessage(tx: DbOrTx, messageId: string): Promise<MessageFacts | undefined> {
  const [row] = await tx
    .select({
      id: messages.id, parentId: messages.parentId, messageTreeId: messages.messageTreeId, deleted: messages.deleted,
      reviewResult: messages.reviewResult, reviewCount: messages.reviewCount, reviewsWanted: messages.reviewsWanted, emojis: messages.emojis,
    })
    .from(messages)
    .where(eq(messages.id, messageId));
  return row;
}

/**
 * Applies the auto-moderation rules to one message right after its `red_flag` or `_skip_reply` count went up, in
 * the caller's transaction (fix §8.1: OA scanned all trees on every task request instead). `red_flag` ≥
 * autoModRedFlags aborts the tree (root) or soft-deletes the reply with its subtree; `_skip_reply` ≥
 * autoModMaxSkipReply halts the tree. The tree row is only locked once a threshold is reached, so ordinary
 * reactions never wait on tree transitions.
 */
export async function applyAutoModeration(tx: DbOrTx, messageId: string, deps: TreeDeps): Promise<AutoModerationAction[]> {
  const message = await readMessage(tx, messageId);
  if (!message || message.deleted) return [];
  const [peek] = await tx.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, message.messageTreeId));
  if (!peek) return [];
  const settings = treeConfigForLanguage(deps.config, peek.lang);
  const redFlags = message.emojis.red_flag ?? 0;
  const skips = message.emojis._skip_reply ?? 0;
  const tooManyRedFlags = redFlags >= settings.autoModRedFlags;
  const tooManySkips = skips >= settings.autoModMaxSkipReply;
  if (!settings.autoModEnabled || !isEligible(message, settings) || (!tooManyRedFlags && !tooManySkips)) return [];

  const actions: AutoModerationAction[] = [];
  let tree = await lockTreeState(tx, message.messageTreeId);
  if (!tree || !tree.active || !MODERATED_STATES.has(tree.state)) return actions;
  const wasGrowing = tree.state === "growing";

  if (tooManyRedFlags && message.parentId === null) {
    tree = await enterTreeState(tx, tree, "aborted_low_grade", deps);
    actions.push("tree_aborted");
  } else if (tooManyRedFlags) {
    await markSubtreeDeleted(tx, message.id);
    actions.push("subtree_deleted");
    // Fewer messages may now await review (or none be left at all): the tree may be ready for ranking.
    tree = (await checkRankingCondition(tx, message.messageTreeId, deps)) ?? tree;
  }
  if (tooManySkips && tree.active && MODERATED_STATES.has(tree.state)) {
    tree = await enterTreeState(tx, tree, "halted_by_moderator", deps);
    actions.push("tree_halted");
  }
  // A tree that left `growing` frees a slot for a waiting prompt (a second draw after checkRankingCondition's is a no-op).
  if (wasGrowing && tree.state !== "growing") await runPromptLottery(tx, tree.lang, deps);
  return actions;
}
