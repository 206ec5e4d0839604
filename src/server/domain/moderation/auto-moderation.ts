import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { treeConfigForLanguage } from "@/server/domain/trees/config";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { enterTreeState, lockTreeState } from "@/server/domain/trees/transitions";

/**
 * Auto-moderation (spec §3.6), run on the write paths that change the counts it reads (a red flag or a
 * `_skip_reply` added) instead of on every task request (fix §8.1). Applies to messages of active trees in review
 * or growing that are roots, accepted, or replies still under review:
 * - red flags ≥ autoModRedFlags: a root aborts its tree; a reply is soft-deleted with its whole subtree;
 * - `_skip_reply` ≥ autoModMaxSkipReply: the tree is halted for a moderator.
 */
export async function applyAutoModeration(tx: DbOrTx, messageId: string, deps: TreeDeps): Promise<void> {
  const [message] = await tx.select().from(messages).where(eq(messages.id, messageId)).for("update");
  if (!message || message.deleted) return;
  const tree = await lockTreeState(tx, message.messageTreeId);
  if (!tree || !tree.active || (tree.state !== "initial_prompt_review" && tree.state !== "growing")) return;
  const settings = treeConfigForLanguage(deps.config, tree.lang);
  if (!settings.autoModEnabled) return;
  const isRoot = message.parentId === null;
  const eligible = isRoot || message.reviewResult === true || message.reviewCount < settings.numReviewsReply;
  if (!eligible) return;

  if ((message.emojis.red_flag ?? 0) >= settings.autoModRedFlags) {
    if (isRoot) {
      await enterTreeState(tx, tree, "aborted_low_grade", deps);
    } else {
      await tx.execute(sql`
        with recursive subtree as (
          select id from messages where id = ${message.id}
          union all
          select m.id from messages m join subtree s on m.parent_id = s.id
        )
        update messages set deleted = true where id in (select id from subtree)`);
    }
    return;
  }
  if ((message.emojis._skip_reply ?? 0) >= settings.autoModMaxSkipReply) {
    await enterTreeState(tx, tree, "halted_by_moderator", deps);
  }
}
