import { and, desc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { type MessageView, type Viewer, ZMessage } from "./dto";
import { selectMessagesWithAuthor, toMessageViews } from "./queries";

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;

/**
 * Keyset cursors `<uuid>$<timestamp>` (the original's cursor format). The timestamp keeps the database's microseconds:
 * a millisecond JavaScript Date would skip rows created within the same millisecond as the page's last row.
 */
export type Cursor = { id: string; at: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.id}$${cursor.at}`;
}

export function decodeCursor(value: string): Cursor {
  const [id, at, extra] = value.split("$");
  if (!id || !at || extra !== undefined || !UUID.test(id) || !TIMESTAMP.test(at) || Number.isNaN(Date.parse(at))) {
    throw new AppError("INVALID_CURSOR_VALUE", "This page cursor is not valid; start again from the first page.");
  }
  return { id, at };
}

/** The row's timestamp at full precision, in the cursor's format. */
export const cursorTimestamp = (column: SQL | AnyPgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export const ZMessagePage = z.object({ items: z.array(ZMessage), nextCursor: z.string().nullable() });
export type MessagePage = z.infer<typeof ZMessagePage>;

export type MessageFilter = {
  userId?: string;
  lang?: string;
  /** Deleted messages; honoured for moderators only. */
  includeDeleted?: boolean;
};

/**
 * What a viewer may see in a message list: moderators everything (deleted ones only when asked), others no deleted
 * messages and no rejected (spam) ones but their own ("Your recent messages").
 */
export function listableFor(viewer: Viewer, filter: Pick<MessageFilter, "userId" | "includeDeleted">): SQL | undefined {
  return and(
    viewer.isModerator && filter.includeDeleted ? undefined : eq(messages.deleted, false),
    viewer.isModerator || filter.userId === viewer.userId ? undefined : or(isNull(messages.reviewResult), eq(messages.reviewResult, true)),
  );
}

/**
 * Newest first, keyset-paginated on (created_date, id) so pages stay stable while new messages arrive. Non-moderators
 * never get deleted messages, nor other people's rejected (spam) ones.
 */
export async function listMessages(
  db: DbOrTx,
  viewer: Viewer,
  filter: MessageFilter,
  page: { cursor?: string; limit?: number },
): Promise<MessagePage> {
  const limit = Math.min(Math.max(page.limit ?? PAGE_SIZE_DEFAULT, 1), PAGE_SIZE_MAX);
  const cursor = page.cursor ? decodeCursor(page.cursor) : null;
  const conditions: (SQL | undefined)[] = [
    filter.userId ? eq(messages.userId, filter.userId) : undefined,
    filter.lang ? eq(messages.lang, filter.lang) : undefined,
    listableFor(viewer, filter),
    cursor ? sql`(${messages.createdDate}, ${messages.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined,
  ];
  const rows = await selectMessagesWithAuthor(db, and(...conditions))
    .orderBy(desc(messages.createdDate), desc(messages.id))
    .limit(limit + 1);
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > limit && last) {
    const [key] = await db.select({ at: cursorTimestamp(messages.createdDate) }).from(messages).where(eq(messages.id, last.message.id));
    nextCursor = key ? encodeCursor({ id: last.message.id, at: key.at }) : null;
  }
  const items: MessageView[] = await toMessageViews(db, viewer, pageRows);
  return { items, nextCursor };
}
