import { eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { consensusForSiblings } from "@/server/domain/ranking/ranked-pairs";

export type RankableParent = { parentId: string; completedRankings: number; rankingsWanted: number | null };

/**
 * Parents whose accepted, live children can be ranked (more than one; assistant replies only unless prompter
 * replies are ranked too), with the number of completed rankings each has received.
 */
export async function findRankableParents(tx: DbOrTx, treeId: string, rankPrompterReplies: boolean): Promise<RankableParent[]> {
  const rows = await tx.execute<{ parent_id: string; rankings: number; rankings_wanted: number | null }>(sql`
    select p.parent_id, (select w.rankings_wanted from messages w where w.id = p.parent_id) as rankings_wanted,
      (select count(*) from message_reactions r join tasks t on t.id = r.task_id
        where t.done and r.message_id = p.parent_id)::int as rankings
    from (
      select c.parent_id from messages c
      where c.message_tree_id = ${treeId} and c.parent_id is not null and not c.deleted and c.review_result is true
        ${rankPrompterReplies ? sql`` : sql`and c.role = 'assistant'`}
      group by c.parent_id having count(*) > 1
    ) p`);
  return rows.map((row) => ({
    parentId: row.parent_id, completedRankings: Number(row.rankings), rankingsWanted: row.rankings_wanted === null ? null : Number(row.rankings_wanted),
  }));
}

/**
 * Writes the consensus rank of every sibling group of the tree (spec §3.7): ranked pairs over the intersection of
 * the rankers' sets; siblings outside it (or unranked) get rank = null (OA tree_manager.ranked_pairs_update).
 */
export async function writeConsensusRanks(tx: DbOrTx, parents: readonly RankableParent[]): Promise<void> {
  for (const { parentId } of parents) {
    const reactions = await tx.execute<{ ids: string[] }>(sql`
      select r.payload -> 'rankedMessageIds' as ids from message_reactions r join tasks t on t.id = r.task_id
      where t.done and r.message_id = ${parentId} order by r.created_date`);
    const consensus = consensusForSiblings(reactions.map((row) => row.ids));
    const siblings = await tx.select({ id: messages.id }).from(messages).where(eq(messages.parentId, parentId));
    const rankOf = new Map(consensus?.order.map((id, index) => [id, index]) ?? []);
    const unranked = siblings.filter((sibling) => !rankOf.has(sibling.id)).map((sibling) => sibling.id);
    if (unranked.length > 0) await tx.update(messages).set({ rank: null }).where(inArray(messages.id, unranked));
    for (const [id, rank] of rankOf) await tx.update(messages).set({ rank }).where(eq(messages.id, id));
  }
}
