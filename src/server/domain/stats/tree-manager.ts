import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { TREE_STATES } from "@/server/db/schema";
import { systemStats, ZSystemStats } from "@/server/domain/moderation/preview";

/**
 * What the tree manager is working on (OA `TreeManager.tree_counts_by_state`, `tree_message_count_stats`, `stats`;
 * `PromptRepository.get_stats`): the figures behind the original's trusted `/stats` endpoints.
 */

/** Trees per state, every tree (the cached `message_trees_by_state` is this, stored hourly). */
export async function treeStateCounts(db: DbOrTx): Promise<Record<string, number>> {
  const rows = await db.execute<{ state: string; count: number }>(
    sql`select state::text as state, count(*)::int as count from message_tree_states group by state order by state`,
  );
  return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
}

export const ZTreeMessageCount = z.object({
  messageTreeId: z.uuid(),
  state: z.enum(TREE_STATES),
  /** Deepest live message (the root is 0). */
  depth: z.number().int(),
  oldest: z.date(),
  youngest: z.date(),
  /** Live (not deleted) messages. */
  count: z.number().int(),
  goalTreeSize: z.number().int(),
});
export type TreeMessageCount = z.infer<typeof ZTreeMessageCount>;

/** Per tree: size, depth and age of its live messages; the active trees only unless `onlyActive` is false. */
export async function treeMessageCounts(db: DbOrTx, onlyActive: boolean): Promise<TreeMessageCount[]> {
  const rows = await db.execute<{
    message_tree_id: string; state: TreeMessageCount["state"]; depth: number; oldest: string; youngest: string; count: number; goal_tree_size: number;
  }>(sql`
    select s.message_tree_id, s.state, max(m.depth)::int as depth, min(m.created_date) as oldest, max(m.created_date) as youngest,
      count(m.id)::int as count, s.goal_tree_size
    from message_tree_states s join messages m on m.message_tree_id = s.message_tree_id and not m.deleted
    ${onlyActive ? sql`where s.active` : sql``}
    group by s.message_tree_id
    order by min(m.created_date), s.message_tree_id`);
  return rows.map((row) => ({
    messageTreeId: row.message_tree_id,
    state: row.state,
    depth: Number(row.depth),
    oldest: new Date(row.oldest),
    youngest: new Date(row.youngest),
    count: Number(row.count),
    goalTreeSize: Number(row.goal_tree_size),
  }));
}

export const ZMessageTotals = ZSystemStats.extend({ activeByLang: z.record(z.string(), z.number().int()) });
export type MessageTotals = z.infer<typeof ZMessageTotals>;

/** OA `SystemStats`: all, live and deleted messages, trees, and live messages per language. */
export async function messageTotals(db: DbOrTx): Promise<MessageTotals> {
  const [totals, byLang] = await Promise.all([
    systemStats(db),
    db.execute<{ lang: string; count: number }>(sql`select lang, count(*)::int as count from messages where not deleted group by lang order by lang`),
  ]);
  return { ...totals, activeByLang: Object.fromEntries(byLang.map((row) => [row.lang, Number(row.count)])) };
}
