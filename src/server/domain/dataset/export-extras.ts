import { asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messageEmojis, messageReactions, messages, qualitySiblingGroups, textLabels } from "@/server/db/schema";

/**
 * Labels and events of a page of trees (`--export-labels`, `--export-events` of OA `backend/export.py`), one query
 * each, keyed by message id. They are fetched per tree id rather than per message id so a page never binds more
 * parameters than it has trees.
 */

/** `{label: {value: average, count}}` (OA `LabelAvgValue`); value is null when no reviewer gave a number. */
export type LabelAverages = Record<string, { value: number | null; count: number }>;

export type EmojiEvent = { type: "emoji"; user_id: string; emoji: string };
export type RankingEvent = {
  type: "ranking";
  user_id: string;
  ranking: number[];
  ranked_message_ids: string[];
  ranking_parent_id?: string;
  message_tree_id?: string;
  not_rankable?: boolean;
};
export type MessageEvents = { emoji?: EmojiEvent[]; ranking?: RankingEvent[] };

export async function fetchLabelAverages(db: DbOrTx, treeIds: string[]): Promise<Map<string, LabelAverages>> {
  const byMessage = new Map<string, LabelAverages>();
  if (treeIds.length === 0) return byMessage;
  // Averages over every label key present (the original looped over its fixed TextLabel list; ours are data).
  const rows = await db.execute<{ message_id: string; name: string; value: number | null; count: number }>(sql`
    select tl.message_id, kv.key as name,
      avg(case when jsonb_typeof(kv.value) = 'number' then (kv.value)::float8 end) as value,
      count(*)::int as count
    from ${textLabels} tl
    join ${messages} m on m.id = tl.message_id
    cross join lateral jsonb_each(tl.labels) kv
    where m.message_tree_id in (${sql.join(
      treeIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})
    group by tl.message_id, kv.key
    order by tl.message_id, kv.key`);
  for (const row of rows) {
    const labels = byMessage.get(row.message_id) ?? {};
    labels[row.name] = { value: row.value === null ? null : Number(row.value), count: Number(row.count) };
    byMessage.set(row.message_id, labels);
  }
  return byMessage;
}

/** Emoji events on each message, and ranking events on each ranking parent (where the original attached them). */
export async function fetchEvents(db: DbOrTx, treeIds: string[]): Promise<Map<string, MessageEvents>> {
  const byMessage = new Map<string, MessageEvents>();
  if (treeIds.length === 0) return byMessage;
  const eventsOf = (messageId: string) => {
    const events = byMessage.get(messageId) ?? {};
    byMessage.set(messageId, events);
    return events;
  };
  const emojis = await db
    .select({ messageId: messageEmojis.messageId, userId: messageEmojis.userId, emoji: messageEmojis.emoji })
    .from(messageEmojis)
    .innerJoin(messages, eq(messages.id, messageEmojis.messageId))
    .where(inArray(messages.messageTreeId, treeIds))
    .orderBy(asc(messageEmojis.createdDate), asc(messageEmojis.userId), asc(messageEmojis.emoji));
  for (const { messageId, userId, emoji } of emojis) {
    (eventsOf(messageId).emoji ??= []).push({ type: "emoji", user_id: userId, emoji });
  }
  const reactions = await db
    .select({ messageId: messageReactions.messageId, userId: messageReactions.userId, payload: messageReactions.payload })
    .from(messageReactions)
    .innerJoin(messages, eq(messages.id, messageReactions.messageId))
    .where(inArray(messages.messageTreeId, treeIds))
    .orderBy(asc(messageReactions.createdDate), asc(messageReactions.userId));
  for (const { messageId, userId, payload } of reactions) {
    if (!messageId || payload.type !== "message_ranking") continue;
    // We store the ranked ids, not the original's permutation of the task's reply list; without it the best-first
    // positions 0..n-1 of ranked_message_ids are the faithful reading (ranked_message_ids is what readers use).
    const stored = (payload as { ranking?: unknown }).ranking;
    const ranking = Array.isArray(stored) ? (stored as number[]) : payload.rankedMessageIds.map((_, index) => index);
    (eventsOf(messageId).ranking ??= []).push({
      type: "ranking",
      user_id: userId,
      ranking,
      ranked_message_ids: payload.rankedMessageIds,
      ranking_parent_id: payload.rankingParentId,
      message_tree_id: payload.messageTreeId,
      ...(payload.notRankable ? { not_rankable: true } : {}),
    });
  }
  return byMessage;
}

export type ReplyStrength = { strength: number; lower: number; upper: number };

/** The quality job's Bradley–Terry strengths of the replies in a page of trees, by message id. */
export async function fetchStrengths(db: DbOrTx, treeIds: string[]): Promise<Map<string, ReplyStrength>> {
  const byMessage = new Map<string, ReplyStrength>();
  if (treeIds.length === 0) return byMessage;
  const rows = await db
    .select({ strengths: qualitySiblingGroups.strengths })
    .from(qualitySiblingGroups)
    .where(inArray(qualitySiblingGroups.messageTreeId, treeIds));
  for (const row of rows) for (const [id, value] of Object.entries(row.strengths)) byMessage.set(id, value);
  return byMessage;
}
