import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { type TreeStateView, toTreeStateView } from "@/server/domain/messages/reads";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { runPromptLottery } from "@/server/domain/trees/lottery";
import { reactivateTree } from "@/server/domain/trees/reactivate";
import { enterTreeState, type TreeStateRow } from "@/server/domain/trees/transitions";
import { AppError } from "@/server/errors";
import { markModeratorAction, recordModerationEvent } from "./journal";
import { lockTreeOfMessage } from "./tree-lookup";

/** Stops a tree (spec §3.2 `halt=true`); halting a halted tree changes nothing. */
export async function haltTree(tx: DbOrTx, tree: TreeStateRow, deps: TreeDeps): Promise<TreeStateRow> {
  if (tree.state === "halted_by_moderator") return tree;
  const halted = await enterTreeState(tx, tree, "halted_by_moderator", deps);
  // A growing tree that stops frees its slot for a waiting prompt.
  if (tree.active && tree.state === "growing") await runPromptLottery(tx, tree.lang, deps);
  return halted;
}

export async function haltTreeOfMessage(db: DbOrTx, actorId: string, messageId: string, deps: TreeDeps): Promise<TreeStateView> {
  return db.transaction(async (tx) => {
    await markModeratorAction(tx);
    const tree = await lockTreeOfMessage(tx, messageId);
    const halted = await haltTree(tx, tree, deps);
    await recordModerationEvent(tx, actorId, "moderation_halt_tree", { messageId, payload: { from: tree.state } });
    return toTreeStateView(halted);
  });
}

/**
 * Restarts the message's tree (spec §3.2 `halt=false`) from any terminal state; a tree that is already active is
 * left as it is rather than being pushed back a step.
 */
export async function unhaltTreeOfMessage(db: DbOrTx, actorId: string, messageId: string, deps: TreeDeps): Promise<TreeStateView> {
  return db.transaction(async (tx) => {
    await markModeratorAction(tx);
    const tree = await lockTreeOfMessage(tx, messageId);
    if (tree.active) return toTreeStateView(tree);
    const [root] = await tx.select({ deleted: messages.deleted }).from(messages).where(eq(messages.id, tree.messageTreeId));
    if (!root || root.deleted) {
      throw new AppError("CONFLICT", "The tree's initial prompt is deleted; undelete it before restarting the tree.");
    }
    const restarted = await reactivateTree(tx, tree, deps);
    await recordModerationEvent(tx, actorId, "moderation_unhalt_tree", { messageId, payload: { from: tree.state, to: restarted.state } });
    return toTreeStateView(restarted);
  });
}
