import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { pickEnv } from "@/env";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import type { Viewer } from "@/server/domain/messages/dto";
import { cursorTimestamp, decodeCursor, encodeCursor, ZMessagePage } from "@/server/domain/messages/pages";
import { selectMessagesWithAuthor, toMessageViews } from "@/server/domain/messages/queries";
import { PENDING_SCAN_LIMIT, substringMatch, textMatches, unsearchedCount, wordsMatch } from "@/server/domain/messages/search-index";

const tristate = z.enum(["any", "only", "none"]).default("any");

export const ZMessageSearch = z.object({
  /** Words (PostgreSQL full-text search, `websearch` syntax: "quoted phrases", -excluded) or a substring. */
  q: z.string().trim().max(500).default(""),
  mode: z.enum(["words", "substring"]).default("words"),
  lang: z.string().trim().min(2).max(32).optional(),
  role: z.enum(["prompter", "assistant"]).optional(),
  deleted: tristate,
  flagged: tristate,
  toxic: tristate,
  synthetic: tristate,
  userId: z.uuid().optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type MessageSearch = z.infer<typeof ZMessageSearch>;

/** A page of the search; `unsearched`: messages still waiting for the search index that the text search left out. */
export const ZMessageSearchPage = ZMessagePage.extend({ unsearched: z.number().int().min(0) });
export type MessageSearchPage = z.infer<typeof ZMessageSearchPage>;

function tri(value: "any" | "only" | "none", condition: SQL): SQL | undefined {
  if (value === "any") return undefined;
  return value === "only" ? condition : sql`not (${condition})`;
}

/**
 * The moderators' message table: newest first with filters and text search (`textMatches`: words over the
 * full-text index of `message_search`, a substring over its trigram index).
 */
export async function searchMessages(
  db: DbOrTx,
  viewer: Viewer,
  search: MessageSearch,
  toxicThreshold = pickEnv(["TOXICITY_FLAG_THRESHOLD"]).TOXICITY_FLAG_THRESHOLD,
  pendingScanLimit = PENDING_SCAN_LIMIT,
): Promise<MessageSearchPage> {
  const cursor = search.cursor ? decodeCursor(search.cursor) : null;
  let text: SQL | undefined;
  if (search.q && search.mode === "words") text = textMatches(wordsMatch(sql`websearch_to_tsquery('simple', ${search.q})`), pendingScanLimit);
  if (search.q && search.mode === "substring") text = textMatches(substringMatch(search.q), pendingScanLimit);
  const conditions: (SQL | undefined)[] = [
    text,
    search.lang ? eq(messages.lang, search.lang) : undefined,
    search.role ? eq(messages.role, search.role) : undefined,
    search.userId ? eq(messages.userId, search.userId) : undefined,
    search.from ? sql`${messages.createdDate} >= ${search.from.toISOString()}::timestamptz` : undefined,
    search.to ? sql`${messages.createdDate} < ${search.to.toISOString()}::timestamptz` : undefined,
    tri(search.deleted, sql`${messages.deleted}`),
    tri(search.synthetic, sql`${messages.synthetic}`),
    tri(search.flagged, sql`exists (select 1 from flagged_messages f where f.message_id = ${messages.id})`),
    tri(search.toxic, sql`exists (select 1 from message_toxicity x where x.message_id = ${messages.id} and x.score >= ${toxicThreshold})`),
    cursor ? sql`(${messages.createdDate}, ${messages.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined,
  ];
  const rows = await selectMessagesWithAuthor(db, and(...conditions))
    .orderBy(desc(messages.createdDate), desc(messages.id))
    .limit(search.limit + 1);
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > search.limit && last) {
    const [key] = await db.select({ at: cursorTimestamp(messages.createdDate) }).from(messages).where(eq(messages.id, last.message.id));
    nextCursor = key ? encodeCursor({ id: last.message.id, at: key.at }) : null;
  }
  const unsearched = text ? await unsearchedCount(db, pendingScanLimit) : 0;
  return { items: await toMessageViews(db, viewer, page), nextCursor, unsearched };
}

export const ZMessageAdminDetail = z.object({
  toxicity: z.array(z.object({ model: z.string(), label: z.string(), score: z.number() })),
  embeddings: z.array(z.object({ model: z.string() })),
  labels: z.array(z.object({ name: z.string(), average: z.number(), count: z.number().int() })),
  reviews: z.number().int(),
  reports: z.number().int(),
  rankingReactions: z.number().int(),
  revisions: z.number().int(),
});
export type MessageAdminDetail = z.infer<typeof ZMessageAdminDetail>;

/** What moderators check on a message beyond its text: toxicity, embedding status, label averages, reactions. */
export async function getMessageAdminDetail(db: DbOrTx, messageId: string): Promise<MessageAdminDetail> {
  const [toxicity, embeddings, labels, counts] = await Promise.all([
    db.execute<{ model: string; label: string; score: number }>(sql`select model, label, score from message_toxicity where message_id = ${messageId} order by score desc`),
    db.execute<{ model: string }>(sql`select model from message_embeddings where message_id = ${messageId}`),
    db.execute<{ name: string; average: number; count: number }>(sql`
      select key as name, avg(value::text::float)::float as average, count(*)::int as count
      from text_labels, jsonb_each(labels) where message_id = ${messageId} and jsonb_typeof(value) = 'number'
      group by key order by key`),
    db.execute<{ reviews: number; reports: number; reactions: number; revisions: number }>(sql`
      select (select count(*) from text_labels where message_id = ${messageId} and task_id is not null)::int as reviews,
        (select count(*) from text_labels where message_id = ${messageId} and task_id is null)::int as reports,
        (select count(*) from message_reactions where message_id = ${messageId})::int as reactions,
        (select count(*) from message_revisions where message_id = ${messageId})::int as revisions`),
  ]);
  const count = counts[0];
  return {
    toxicity: [...toxicity].map((row) => ({ ...row, score: Number(row.score) })),
    embeddings: [...embeddings],
    labels: [...labels].map((row) => ({ ...row, average: Number(row.average) })),
    reviews: count?.reviews ?? 0,
    reports: count?.reports ?? 0,
    rankingReactions: count?.reactions ?? 0,
    revisions: count?.revisions ?? 0,
  };
}
