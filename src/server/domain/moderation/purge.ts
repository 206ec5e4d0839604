import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import type { TreeState } from "@/server/db/schema";
import { uuidArray } from "@/server/domain/messages/queries";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { reactivateTree } from "@/server/domain/trees/reactivate";
import { lockTreeState, treeRemoved } from "@/server/domain/trees/transitions";
import { recomputeChildrenCounts } from "./subtree";

/**
 * Hard deletion (spec §3.9). Rows that reference messages go first, explicitly, even where a foreign key would
 * cascade: revisions included (fix §8.10, OA's purge failed on edited messages), and tasks and journal entries, which
 * have no foreign key to messages (toxicity and embeddings go by cascade). The messages themselves go in one
 * statement, so parent links are checked once at its end.
 */
async function deleteMessageRows(tx: DbOrTx, ids: readonly string[], treeId?: string): Promise<void> {
  if (ids.length === 0) return;
  const list = uuidArray(ids);
  await tx.execute(sql`delete from journal where message_id = any(${list})`);
  // The tasks that created these messages, and every task aimed at them (reactions cascade with their task).
  await tx.execute(sql`delete from tasks where id in (select task_id from messages where id = any(${list}) and task_id is not null)
    or parent_message_id = any(${list}) ${treeId ? sql`or message_tree_id = ${treeId}` : sql``}`);
  await tx.execute(sql`delete from message_reactions where message_id = any(${list})`);
  await tx.execute(sql`delete from message_revisions where message_id = any(${list})`);
  await tx.execute(sql`delete from text_labels where message_id = any(${list})`);
  await tx.execute(sql`delete from message_emojis where message_id = any(${list})`);
  await tx.execute(sql`delete from flagged_messages where message_id = any(${list})`);
  if (treeId) await tx.execute(sql`delete from message_tree_states where message_tree_id = ${treeId}`);
  await tx.execute(sql`delete from messages where id = any(${list})`);
}

/**
 * Removes a whole tree with everything attached to it (its state row locked first, the lock order of
 * `domain/tasks`); a growing tree's slot goes to a waiting prompt at once. Returns the number of messages removed.
 */
export async function purgeTreeRows(tx: DbOrTx, treeId: string, deps: TreeDeps): Promise<number> {
  const tree = await lockTreeState(tx, treeId);
  const rows = await tx.execute<{ id: string }>(sql`select id from messages where message_tree_id = ${treeId}`);
  await deleteMessageRows(tx, rows.map((row) => row.id), treeId);
  await treeRemoved(tx, tree, deps);
  return rows.length;
}

/** States whose content a purge changes in a way that needs the tree re-evaluated. */
const REEVALUATED_STATES = new Set<TreeState>(["growing", "ranking", "ready_for_scoring", "ready_for_export", "scoring_failed"]);

/**
 * Removes the given replies of one tree with all their descendants (OA `_purge_message_internal`). The rankings of
 * their sibling groups are dropped with them (they ranked a message that is gone), so the remaining siblings lose
 * ranking counts and ranks; children counts are recomputed, and the tree is re-evaluated from `growing` unless a
 * moderator stopped or aborted it. Returns the number of messages removed.
 */
export async function purgeRepliesInTree(tx: DbOrTx, treeId: string, replyIds: readonly string[], deps: TreeDeps): Promise<number> {
  if (replyIds.length === 0) return 0;
  const tree = await lockTreeState(tx, treeId);
  const doomed = await tx.execute<{ id: string; parent_id: string | null }>(sql`
    with recursive subtree as (
      select id, parent_id from messages where id = any(${uuidArray(replyIds)}) and parent_id is not null
      union
      select c.id, c.parent_id from messages c join subtree s on c.parent_id = s.id
    ) select id, parent_id from subtree`);
  const doomedIds = new Set(doomed.map((row) => row.id));
  const survivingParents = [...new Set(doomed.map((row) => row.parent_id))].filter(
    (id): id is string => id !== null && !doomedIds.has(id),
  );
  if (survivingParents.length > 0) {
    const parents = uuidArray(survivingParents);
    await tx.execute(sql`delete from message_reactions where message_id = any(${parents})`);
    await tx.execute(sql`update messages set ranking_count = 0, rank = null
      where parent_id = any(${parents}) and not (id = any(${uuidArray([...doomedIds])}))`);
  }
  await deleteMessageRows(tx, [...doomedIds]);
  await recomputeChildrenCounts(tx, survivingParents);
  if (tree && REEVALUATED_STATES.has(tree.state)) await reactivateTree(tx, tree, deps);
  return doomedIds.size;
}
