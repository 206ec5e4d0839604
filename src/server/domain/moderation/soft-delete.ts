import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { checkRankingCondition } from "@/server/domain/trees/conditions";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { uuidArray } from "@/server/domain/messages/queries";
import { reviewsNeededSql } from "@/server/domain/quality/adaptive-reviews";
import { replyCapacity } from "@/server/domain/trees/capacity";
import { treeConfigForLanguage } from "@/server/domain/trees/config";
import { lockTreeState, type TreeStateRow } from "@/server/domain/trees/transitions";
import { AppError } from "@/server/errors";
import { haltTree } from "./halt";
import { markModeratorAction, recordModerationEvent } from "./journal";
import { isUniqueViolation } from "@/server/db/errors";
import { type ChangedMessage, markChainUndeleted, markSubtreeDeleted } from "./subtree";
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
 * Undeletes a message and its ancestors, so it is reachable again; its descendants stay deleted (spec §3.9).
 *
 * A restore must not break what the hand-out guarantees: while a reply was deleted its parent had room, and another
 * reply may have taken the slot since. So, in a tree grown here, every parent that gets a counted reply back must
 * stay within its reply capacity (`replyCapacity`, the rule reply submission applies); otherwise the restore is
 * refused with UNDELETE_PARENT_FULL and nothing changes. The check runs after the rows are restored, under the
 * tree's state row lock taken first (README "Locking"): reply submission holds the same lock while it counts, so a
 * reply landing and a restore cannot both take the last slot. Imported trees keep their dataset's shape and are not
 * checked. A restored reply can also clash with a reply its author wrote under the same parent since: a typed
 * conflict too. A growing tree is then re-checked, like after a delete: the restored replies may complete it.
 */
export async function undeleteMessage(db: DbOrTx, actorId: string, messageId: string, deps: TreeDeps): Promise<SoftDeleteResult> {
  try {
    return await db.transaction(async (tx) => {
      await markModeratorAction(tx);
      const treeId = await findTreeIdOfMessage(tx, messageId);
      // The tree's state row before its messages: the lock order of every path (README "Locking").
      const tree = await lockTreeState(tx, treeId);
      const changed = await markChainUndeleted(tx, messageId);
      if (changed.length > 0 && tree) {
        if (tree.origin === null) await assertRestoredRepliesFit(tx, tree, changed, deps);
        await checkRankingCondition(tx, treeId, deps, tree);
      }
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

/**
 * Refuses a restore that leaves a parent with more counted replies than it may have. Only parents that got a counted
 * reply back are looked at: a restored rejected reply takes no slot. Runs after the restore, in its transaction.
 */
async function assertRestoredRepliesFit(tx: DbOrTx, tree: TreeStateRow, changed: readonly ChangedMessage[], deps: TreeDeps): Promise<void> {
  const settings = treeConfigForLanguage(deps.config, tree.lang);
  const restored = uuidArray(changed.map((row) => row.id));
  const parents = await tx.execute<{ id: string; role: string; counted: number }>(sql`
    select p.id, p.role,
      (select count(*) from messages c where c.parent_id = p.id and not c.deleted
        and (c.review_result is true or c.review_count < ${reviewsNeededSql(sql`c`, settings)}))::int as counted
    from messages p
    where p.id in (
      select r.parent_id from messages r
      where r.id = any(${restored}) and r.parent_id is not null
        and (r.review_result is true or r.review_count < ${reviewsNeededSql(sql`r`, settings)}))`);
  for (const parent of parents) {
    const capacity = replyCapacity(parent.role, tree.maxChildrenCount, settings);
    if (parent.counted > capacity) {
      throw new AppError(
        "UNDELETE_PARENT_FULL",
        `This reply can't be restored: its parent already has the most replies a tree allows (${capacity}). Delete one of them first.`,
        { parentId: parent.id, maxReplies: capacity },
      );
    }
  }
}
