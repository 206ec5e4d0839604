import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { MODERATION_QUEUE_KINDS, messageToxicity, messageTreeStates, messages, moderationQueueItems, TREE_STATES, users, type ModerationQueueKind } from "@/server/db/schema";
import { type Viewer, ZMessage } from "@/server/domain/messages/dto";
import { cursorTimestamp, decodeCursor, encodeCursor, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from "@/server/domain/messages/pages";
import { selectMessagesWithAuthor, toMessageViews, uuidArray } from "@/server/domain/messages/queries";
import { staffJournalForMessages, ZJournalEntry } from "@/server/domain/admin/journal";
import { loadReports, ZReport } from "./flagged";

/** How long a claim keeps other moderators off an item; every action renews it (like a task's validity window). */
export const CLAIM_LEASE_SECONDS = 5 * 60;

export const ZQueueKind = z.enum(MODERATION_QUEUE_KINDS);
export const ZQueueFilter = z.object({
  kind: ZQueueKind.optional(),
  lang: z.string().trim().min(2).max(32).optional(),
  order: z.enum(["oldest", "newest"]).default("oldest"),
});
export type QueueFilter = z.infer<typeof ZQueueFilter>;

export const ZQueueItem = z.object({
  id: z.uuid(),
  kind: ZQueueKind,
  version: z.number().int(),
  detectedAt: z.date(),
  lang: z.string(),
  claim: z.object({ userId: z.uuid(), name: z.string().nullable(), expiresAt: z.date(), mine: z.boolean() }).nullable(),
  resolution: z.object({ at: z.date(), by: z.string().nullable(), what: z.string() }).nullable(),
  /** The message in its conversation, root first; null once it was purged. */
  message: ZMessage.nullable(),
  conversation: z.array(ZMessage),
  reports: z.array(ZReport),
  toxicity: z.array(z.object({ label: z.string(), score: z.number() })),
  treeState: z.enum(TREE_STATES).nullable(),
  /** What moderators and admins already did to this message (who, what, when), newest first. */
  journal: z.array(ZJournalEntry),
});
export type QueueItem = z.infer<typeof ZQueueItem>;
export const ZQueuePage = z.object({ items: z.array(ZQueueItem), nextCursor: z.string().nullable() });
export type QueuePage = z.infer<typeof ZQueuePage>;

type ItemRow = typeof moderationQueueItems.$inferSelect;

function filterConditions(filter: Partial<QueueFilter>): SQL[] {
  const conditions: SQL[] = [];
  if (filter.kind) conditions.push(eq(moderationQueueItems.kind, filter.kind));
  if (filter.lang) conditions.push(eq(moderationQueueItems.lang, filter.lang));
  return conditions;
}

/**
 * Conversations (root → message) of a page of messages: one query fetches every message on the chains (recursive
 * over parent ids, joined with the authors), and the chains are put together here from the parent ids.
 */
async function loadConversations(tx: DbOrTx, viewer: Viewer, messageIds: readonly string[]) {
  const byMessage = new Map<string, z.infer<typeof ZMessage>[]>();
  if (messageIds.length === 0) return byMessage;
  const chain = sql`(with recursive chain as (
      select id, parent_id from messages where id = any(${uuidArray(messageIds)})
      union
      select m.id, m.parent_id from messages m join chain on m.id = chain.parent_id
    ) select id from chain)`;
  const rows = await selectMessagesWithAuthor(tx, sql`${messages.id} in ${chain}`);
  const views = new Map((await toMessageViews(tx, viewer, rows)).map((view) => [view.id, view]));
  const parentOf = new Map(rows.map((row) => [row.message.id, row.message.parentId]));
  for (const target of messageIds) {
    const conversation: z.infer<typeof ZMessage>[] = [];
    for (let id: string | null | undefined = target; id && conversation.length <= 1000; id = parentOf.get(id)) {
      const view = views.get(id);
      if (view) conversation.unshift(view);
    }
    byMessage.set(target, conversation);
  }
  return byMessage;
}

/** Turns queue rows into what the console shows: the message in context with reports, toxicity and tree state. */
export async function toQueueItems(tx: DbOrTx, viewer: Viewer, rows: readonly ItemRow[]): Promise<QueueItem[]> {
  const messageIds = [...new Set(rows.map((row) => row.messageId))];
  const treeIds = [...new Set(rows.map((row) => row.messageTreeId))];
  const people = [...new Set(rows.flatMap((row) => [row.claimedBy, row.resolvedBy]).filter((id): id is string => !!id))];
  const [conversations, reports, toxicity, trees, names, journals] = await Promise.all([
    loadConversations(tx, viewer, messageIds),
    loadReports(tx, messageIds),
    messageIds.length === 0 ? [] : tx.select().from(messageToxicity).where(inArray(messageToxicity.messageId, messageIds)),
    treeIds.length === 0 ? [] : tx.select({ id: messageTreeStates.messageTreeId, state: messageTreeStates.state }).from(messageTreeStates).where(inArray(messageTreeStates.messageTreeId, treeIds)),
    people.length === 0 ? [] : tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, people)),
    staffJournalForMessages(tx, messageIds),
  ]);
  const stateOf = new Map(trees.map((tree) => [tree.id, tree.state]));
  const nameOf = new Map(names.map((person) => [person.id, person.name]));
  const now = Date.now();
  return rows.map((row) => {
    const conversation = conversations.get(row.messageId) ?? [];
    const liveClaim = row.claimedBy && row.claimExpiresAt && row.claimExpiresAt.getTime() > now && !row.resolvedAt;
    return {
      id: row.id,
      kind: row.kind,
      version: row.version,
      detectedAt: row.detectedAt,
      lang: row.lang,
      claim: liveClaim
        ? { userId: row.claimedBy!, name: nameOf.get(row.claimedBy!) ?? null, expiresAt: row.claimExpiresAt!, mine: row.claimedBy === viewer.userId }
        : null,
      resolution: row.resolvedAt ? { at: row.resolvedAt, by: row.resolvedBy ? (nameOf.get(row.resolvedBy) ?? null) : null, what: row.resolution ?? "" } : null,
      message: conversation.at(-1)?.id === row.messageId ? conversation.at(-1)! : null,
      conversation,
      reports: reports.get(row.messageId) ?? [],
      toxicity: toxicity.filter((score) => score.messageId === row.messageId).map((score) => ({ label: score.label, score: score.score })),
      treeState: stateOf.get(row.messageTreeId) ?? null,
      journal: journals.get(row.messageId) ?? [],
    };
  });
}

/** Open items, oldest (or newest) first, keyset-paginated on (detected_at, id); `resolved` lists the reviewed ones. */
export async function listQueue(
  db: DbOrTx,
  viewer: Viewer,
  options: Partial<QueueFilter> & { resolved?: boolean; cursor?: string; limit?: number },
): Promise<QueuePage> {
  const limit = Math.min(Math.max(options.limit ?? PAGE_SIZE_DEFAULT, 1), PAGE_SIZE_MAX);
  const cursor = options.cursor ? decodeCursor(options.cursor) : null;
  const newest = options.order === "newest";
  const key = sql`(${moderationQueueItems.detectedAt}, ${moderationQueueItems.id})`;
  const conditions = [
    options.resolved ? sql`${moderationQueueItems.resolvedAt} is not null` : isNull(moderationQueueItems.resolvedAt),
    ...filterConditions(options),
    cursor ? (newest ? sql`${key} < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql`${key} > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`) : undefined,
  ];
  const direction = newest ? desc : asc;
  const rows = await db
    .select({ item: moderationQueueItems, at: cursorTimestamp(moderationQueueItems.detectedAt) })
    .from(moderationQueueItems)
    .where(and(...conditions))
    .orderBy(direction(moderationQueueItems.detectedAt), direction(moderationQueueItems.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await toQueueItems(db, viewer, page.map((row) => row.item)),
    nextCursor: rows.length > limit && last ? encodeCursor({ id: last.item.id, at: last.at }) : null,
  };
}

export async function getQueueItem(db: DbOrTx, viewer: Viewer, itemId: string): Promise<QueueItem | null> {
  const [row] = await db.select().from(moderationQueueItems).where(eq(moderationQueueItems.id, itemId));
  return row ? (await toQueueItems(db, viewer, [row]))[0]! : null;
}

export const ZQueueSummary = z.object({
  open: z.number().int(),
  byKind: z.record(ZQueueKind, z.number().int()),
  oldestDetectedAt: z.date().nullable(),
  claimed: z.number().int(),
  resolvedToday: z.number().int(),
});
export type QueueSummary = z.infer<typeof ZQueueSummary>;

/** What needs attention now: open items by kind, the oldest one's age, and today's throughput. */
export async function queueSummary(db: DbOrTx): Promise<QueueSummary> {
  const rows = await db
    .select({
      kind: moderationQueueItems.kind,
      count: sql<number>`count(*)::int`,
      oldest: sql<string | null>`min(${moderationQueueItems.detectedAt})`,
      claimed: sql<number>`(count(*) filter (where ${moderationQueueItems.claimExpiresAt} > now()))::int`,
    })
    .from(moderationQueueItems)
    .where(isNull(moderationQueueItems.resolvedAt))
    .groupBy(moderationQueueItems.kind);
  const [today] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(moderationQueueItems)
    .where(sql`${moderationQueueItems.resolvedAt} >= date_trunc('day', now())`);
  const byKind = Object.fromEntries(MODERATION_QUEUE_KINDS.map((kind) => [kind, 0])) as Record<ModerationQueueKind, number>;
  let oldest: Date | null = null;
  for (const row of rows) {
    byKind[row.kind] = row.count;
    const at = row.oldest ? new Date(row.oldest) : null;
    if (at && (!oldest || at < oldest)) oldest = at;
  }
  return {
    open: rows.reduce((sum, row) => sum + row.count, 0),
    byKind,
    oldestDetectedAt: oldest,
    claimed: rows.reduce((sum, row) => sum + row.claimed, 0),
    resolvedToday: today?.count ?? 0,
  };
}
