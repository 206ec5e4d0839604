import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { journal, users } from "@/server/db/schema";
import { cursorTimestamp, decodeCursor, encodeCursor } from "@/server/domain/messages/pages";

/** Staff actions are journaled as `moderation_*` and `admin_*` events (src/server/domain/moderation/journal.ts). */
const STAFF_EVENT = sql`(${journal.eventType} like 'moderation\\_%' or ${journal.eventType} like 'admin\\_%')`;

export const ZJournalFilter = z.object({
  actorId: z.uuid().optional(),
  /** Events about this user (as the subject of an action). */
  userId: z.uuid().optional(),
  messageId: z.uuid().optional(),
  eventType: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type JournalFilter = z.infer<typeof ZJournalFilter>;

export const ZJournalEntry = z.object({
  id: z.uuid(),
  createdDate: z.date(),
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  eventType: z.string(),
  messageId: z.uuid().nullable(),
  payload: z.record(z.string(), z.unknown()),
});
export type JournalEntry = z.infer<typeof ZJournalEntry>;
export const ZJournalPage = z.object({ items: z.array(ZJournalEntry), nextCursor: z.string().nullable() });

/** The audit trail of moderator and admin actions, newest first, keyset-paginated. */
export async function listStaffJournal(db: DbOrTx, filter: JournalFilter) {
  const cursor = filter.cursor ? decodeCursor(filter.cursor) : null;
  const conditions: (SQL | undefined)[] = [
    STAFF_EVENT,
    filter.actorId ? eq(journal.userId, filter.actorId) : undefined,
    filter.userId ? sql`${journal.eventPayload}->>'userId' = ${filter.userId}` : undefined,
    filter.messageId ? eq(journal.messageId, filter.messageId) : undefined,
    filter.eventType ? eq(journal.eventType, filter.eventType) : undefined,
    cursor ? sql`(${journal.createdDate}, ${journal.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined,
  ];
  const rows = await db
    .select({ entry: journal, actorName: users.name, at: cursorTimestamp(journal.createdDate) })
    .from(journal)
    .leftJoin(users, eq(users.id, journal.userId))
    .where(and(...conditions))
    .orderBy(desc(journal.createdDate), desc(journal.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ entry, actorName }) => ({
      id: entry.id,
      createdDate: entry.createdDate,
      actorId: entry.userId,
      actorName,
      eventType: entry.eventType,
      messageId: entry.messageId,
      payload: entry.eventPayload,
    })),
    nextCursor: rows.length > filter.limit && last ? encodeCursor({ id: last.entry.id, at: last.at }) : null,
  };
}

/**
 * What moderators and admins did to each of these messages (newest first, at most `perMessage` each): the journal a
 * queue item shows, so the next moderator sees who already deleted, halted or dismissed it. Served by
 * `journal_message_idx`.
 */
export async function staffJournalForMessages(db: DbOrTx, messageIds: readonly string[], perMessage = 20): Promise<Map<string, JournalEntry[]>> {
  const byMessage = new Map<string, JournalEntry[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .select({ entry: journal, actorName: users.name })
    .from(journal)
    .leftJoin(users, eq(users.id, journal.userId))
    .where(and(inArray(journal.messageId, [...messageIds]), STAFF_EVENT))
    .orderBy(desc(journal.createdDate), desc(journal.id));
  for (const { entry, actorName } of rows) {
    const list = byMessage.get(entry.messageId!) ?? [];
    if (list.length >= perMessage) continue;
    list.push({ id: entry.id, createdDate: entry.createdDate, actorId: entry.userId, actorName, eventType: entry.eventType, messageId: entry.messageId, payload: entry.eventPayload });
    byMessage.set(entry.messageId!, list);
  }
  return byMessage;
}
