import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";

/**
 * Low-agreement judgements go to the moderation queue (issue 10 "reviews that split", issue 14): after each run the
 * quality job queues the sibling groups whose rankers agree least (`split_reviews`, the ranking parent as the item's
 * message), so a moderator can look at replies that are close to a coin toss.
 * Idempotent: a group already queued and open stays as it is; one a moderator resolved is reopened only when new
 * rankings arrived after the resolution (otherwise the same evidence would bring it back every night).
 */

/** Kendall's W below which a group counts as split (0 = no agreement at all, 1 = every ranker the same order). */
export const SPLIT_KENDALL_W = 0.5;
/** At most this many groups, the least agreed first, per run: the queue is for people. */
export const SPLIT_QUEUE_LIMIT = 50;

export async function enqueueSplitReviews(tx: DbOrTx, options: { maxW?: number; limit?: number } = {}): Promise<number> {
  const rows = await tx.execute<{ id: string }>(sql`
    insert into moderation_queue_items (kind, message_id, message_tree_id, lang)
    select 'split_reviews', g.parent_id, g.message_tree_id, g.lang from (
      select g.parent_id, g.message_tree_id, g.lang from quality_sibling_groups g
      where g.kendall_w is not null and g.kendall_w < ${options.maxW ?? SPLIT_KENDALL_W}
      order by g.kendall_w, g.parent_id limit ${options.limit ?? SPLIT_QUEUE_LIMIT}
    ) g
    on conflict (kind, message_id) do update
      set detected_at = now(), resolved_at = null, resolved_by = null, resolution = null,
          claimed_by = null, claim_expires_at = null, version = moderation_queue_items.version + 1
      where moderation_queue_items.resolved_at is not null
        and exists (select 1 from message_reactions r
          where r.message_id = moderation_queue_items.message_id and r.created_date > moderation_queue_items.resolved_at)
    returning id`);
  return rows.length;
}
