import { and, eq, gte, isNotNull, isNull, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { getUserByIdOrThrow } from "@/server/domain/users/queries";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { recordModerationEvent } from "./journal";
import { type PreviewResult, withPreview } from "./preview";
import { purgeRepliesInTree, purgeTreeRows } from "./purge";
import { findTreeIdOfMessage } from "./tree-lookup";

export const ZPurgeCounts = z.object({ trees: z.number().int(), messages: z.number().int() });
export type PurgeCounts = z.infer<typeof ZPurgeCounts>;

/** Purges the tree the message belongs to (spec §3.9 `purge_message_tree`). */
export async function purgeTreeOfMessage(
  db: DbOrTx,
  actorId: string,
  input: { messageId: string; preview: boolean },
  deps: TreeDeps,
): Promise<PreviewResult<PurgeCounts>> {
  return withPreview(db, input.preview, async (tx) => {
    const treeId = await findTreeIdOfMessage(tx, input.messageId);
    // Locks the tree's state row first, serialising with anything else changing this tree while its rows go.
    const removed = await purgeTreeRows(tx, treeId, deps);
    await recordModerationEvent(tx, actorId, "moderation_purge_tree", { payload: { messageTreeId: treeId, messages: removed } });
    return { trees: 1, messages: removed };
  });
}

export type PurgeUserOptions = {
  userId: string;
  /** Also purge the trees grown from the user's initial prompts (OA default false at the API). */
  purgeInitialPrompts: boolean;
  minDate?: Date;
  maxDate?: Date;
  preview: boolean;
};

/**
 * Hard-deletes a user's messages (OA `purge_user_messages`, spec §3.9): with `purgeInitialPrompts` the trees rooted
 * in their prompts go entirely; in every other tree their replies go with all replies below them. `preview` runs the
 * same code and rolls it back.
 */
export async function purgeUserMessages(
  db: DbOrTx,
  actorId: string,
  options: PurgeUserOptions,
  deps: TreeDeps,
): Promise<PreviewResult<PurgeCounts>> {
  return withPreview(db, options.preview, async (tx) => {
    await getUserByIdOrThrow(tx, options.userId);
    const inWindow: SQL[] = [eq(messages.userId, options.userId)];
    if (options.minDate) inWindow.push(gte(messages.createdDate, options.minDate));
    if (options.maxDate) inWindow.push(lte(messages.createdDate, options.maxDate));
    const counts: PurgeCounts = { trees: 0, messages: 0 };
    const purgedTrees = new Set<string>();
    if (options.purgeInitialPrompts) {
      const roots = await tx.select({ id: messages.id }).from(messages).where(and(...inWindow, isNull(messages.parentId)));
      for (const root of roots) {
        counts.messages += await purgeTreeRows(tx, root.id, deps);
        counts.trees += 1;
        purgedTrees.add(root.id);
      }
    }
    const replies = await tx
      .select({ id: messages.id, treeId: messages.messageTreeId })
      .from(messages)
      .where(and(...inWindow, isNotNull(messages.parentId)));
    const byTree = new Map<string, string[]>();
    for (const reply of replies.filter((row) => !purgedTrees.has(row.treeId))) {
      byTree.set(reply.treeId, [...(byTree.get(reply.treeId) ?? []), reply.id]);
    }
    // One tree at a time, in a fixed order, so two purges lock trees in the same order.
    for (const treeId of [...byTree.keys()].sort()) {
      counts.messages += await purgeRepliesInTree(tx, treeId, byTree.get(treeId)!, deps);
    }
    await recordModerationEvent(tx, actorId, "moderation_purge_user_messages", {
      payload: { userId: options.userId, purgeInitialPrompts: options.purgeInitialPrompts, ...counts },
    });
    return counts;
  });
}
