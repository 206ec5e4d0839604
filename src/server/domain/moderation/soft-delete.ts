import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { checkRankingCondition } from "@/server/domain/trees/conditions";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { lockTreeState } from "@/server/domain/trees/transitions";
import { AppError } from "@/server/errors";
import { haltTree } from "./halt";
import { markModeratorAction, recordModerationEvent } from "./journal";
import { isUniqueViolation } from "@/server/db/errors";
import { markChainUndeleted, markSubtreeDeleted } from "./subtree";
import { findTreeIdOfMessage } from "./tree-lookup";

export const ZSoftDeleteResult = z.object({ messageId: z.uuid(), changed: z.number().int() });
export type SoftDeleteResult = z.infer<typeof ZSoftDeleteResult>;

/**
 * Soft-deletes a message with its whole subtree (spec §3.9). The tree is then re-checked: fewer messages may await
 * review, or nothing may be left (growing → halted). Deleting a prompt stops its tree if it is active, so it does
 * not hold a review or growing slot forever.
 */
export async function softDeleteMessage(db: DbOrTx, actorId: string, messageId: string, deps: TreeDeps): Promise<SoftDeleteResult> {
  return db.transaction(async (tx) => {
    await markModeratorAction(tx);
    const treeId = await findTreeIdOfMessage(tx, messageId);
    // The tree's state row before its messages: the lock order of every path (README "Locking").
    const tree = await lockTreeState(tx, treeId);
    const changed = await markSubtreeDeleted(tx, messageId);
    if (changed.length > 0) {
      if (messageId === treeId) {
        if (tree?.active) await haltTree(tx, tree, deps);
      } else {
        await checkRankingCondition(tx, treeId, deps);
      }
    }
    await recordModerationEvent(tx, actorId, "moderation_delete_message", { messageId, payload: { changed: changed.length } });
    return { messageId, changed: changed.length };
  });
}

/**
 * Undeletes a message and its ancestors, so it is reachable again; its descendants stay deleted (spec §3.9). A
 * restored reply can clash with a reply its author wrote under the same parent since: that is a typed conflict.
 */
export async function undeleteMessage(db: DbOrTx, actorId: string, messageId: string): Promise<SoftDeleteResult> {
  try {
    return await db.transaction(async (tx) => {
      await markModeratorAction(tx);
      // The tree's state row before its messages: the lock order of every path (README "Locking").
      await lockTreeState(tx, await findTreeIdOfMessage(tx, messageId));
      const changed = await markChainUndeleted(tx, messageId);
      await recordModerationEvent(tx, actorId, "moderation_undelete_message", { messageId, payload: { changed: changed.length } });
      return { messageId, changed: changed.length };
    });
  } catch (error) {
    if (isUniqueViolation(error, "messages_one_reply_per_user_uq")) {
      throw new AppError(
        "CONFLICT",
        "The author has written another reply under the same parent since; delete that one before restoring this one.",
      );
    }
    throw error;
  }
}

/**
 * Soft-deletes every live message of a user (OA `DELETE /users/{id}/messages`), each with its subtree and the same
 * tree checks as a single delete, one transaction per message so no request holds many trees' locks at once.
 * Shallow messages go first: a reply below one of the user's own messages is then already gone.
 */
export async function softDeleteUserMessages(db: DbOrTx, actorId: string, userId: string, deps: TreeDeps): Promise<number> {
  const rows = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.userId, userId), eq(messages.deleted, false)))
    .orderBy(asc(messages.depth), asc(messages.createdDate));
  let changed = 0;
  for (const { id } of rows) changed += (await softDeleteMessage(db, actorId, id, deps)).changed;
  return changed;
}
