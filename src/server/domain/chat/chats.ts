import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "@/server/db/client";
import { chatMessages, chats } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { type ChatDetail, type ChatSummary, toChatSummary } from "./dto";
import { findOwnedChatOrThrow, loadChatMessageDtos, messageNotFound } from "./queries";
import { activeBranch } from "./tree";

/** Chat-level operations (OA `routes/chats.py`, spec inference §2.2), always scoped to the owner. */

/** `nextCursor`: pass as `cursor` for older chats; `prevCursor`: pass as `before` for newer ones (null on the first page). */
export type ChatPage = { chats: ChatSummary[]; nextCursor: string | null; prevCursor: string | null };

type Cursor = { modifiedAt: string; id: string };

/** Cursors carry the timestamp as PostgreSQL text: a JS Date would drop the microseconds and skip rows. */
const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(value: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Partial<Cursor>;
    const { modifiedAt, id } = parsed;
    if (typeof modifiedAt === "string" && TIMESTAMP.test(modifiedAt) && typeof id === "string" && UUID.test(id)) return { modifiedAt, id };
  } catch {
    // fall through to the typed error
  }
  throw new AppError("INVALID_CURSOR_VALUE", "This page cursor is not valid; start from the first page.");
}

/**
 * Most recently active first (a new message moves a chat up); hidden chats only when asked for. `cursor` pages to
 * older chats, `before` to newer ones (OA's `after`/`before`; both at once is an error).
 */
export async function listChats(
  db: DbOrTx,
  userId: string,
  options: { limit: number; cursor?: string | null; before?: string | null; includeHidden?: boolean },
): Promise<ChatPage> {
  if (options.cursor && options.before) throw new AppError("INVALID_CURSOR_VALUE", "Page with either a cursor or `before`, not both.");
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const before = options.before ? decodeCursor(options.before) : null;
  const key = sql`(${chats.modifiedAt}, ${chats.id})`;
  const rows = await db
    .select({ chat: chats, modifiedAtText: sql<string>`${chats.modifiedAt}::text` })
    .from(chats)
    .where(
      and(
        eq(chats.userId, userId),
        options.includeHidden ? undefined : eq(chats.hidden, false),
        after ? sql`${key} < (${after.modifiedAt}::timestamptz, ${after.id}::uuid)` : undefined,
        before ? sql`${key} > (${before.modifiedAt}::timestamptz, ${before.id}::uuid)` : undefined,
      ),
    )
    // Going back to newer chats reads upwards from the cursor (the nearest first), then shows them newest first.
    .orderBy(...(before ? [asc(chats.modifiedAt), asc(chats.id)] : [desc(chats.modifiedAt), desc(chats.id)]))
    .limit(options.limit + 1);
  const more = rows.length > options.limit;
  const page = before ? rows.slice(0, options.limit).reverse() : rows.slice(0, options.limit);
  const cursorOf = (row: (typeof rows)[number] | undefined) => (row ? encodeCursor({ modifiedAt: row.modifiedAtText, id: row.chat.id }) : null);
  return {
    chats: page.map((row) => toChatSummary(row.chat)),
    nextCursor: before ? cursorOf(page.at(-1)) : more ? cursorOf(page.at(-1)) : null,
    prevCursor: before ? (more ? cursorOf(page[0]) : null) : after ? cursorOf(page[0]) : null,
  };
}

export async function createChat(db: DbOrTx, userId: string): Promise<ChatSummary> {
  const [chat] = await db.insert(chats).values({ userId }).returning();
  return toChatSummary(chat!);
}

export async function getChat(db: DbOrTx, userId: string, chatId: string): Promise<ChatDetail> {
  const chat = await findOwnedChatOrThrow(db, userId, chatId);
  const messages = await loadChatMessageDtos(db, chatId);
  return { chat: toChatSummary(chat), messages, activeBranch: activeBranch(messages, chat.activeThreadTailMessageId) };
}

export type ChatUpdate = { title?: string; hidden?: boolean; optOutOfDataUse?: true };

/** Rename, hide/unhide, opt out. Opting out is one-way, as in OA: a chat once excluded from training data stays so. */
export async function updateChat(db: DbOrTx, userId: string, chatId: string, update: ChatUpdate): Promise<ChatSummary> {
  await findOwnedChatOrThrow(db, userId, chatId);
  const [chat] = await db
    .update(chats)
    .set({
      ...(update.title !== undefined ? { title: update.title } : {}),
      ...(update.hidden !== undefined ? { hidden: update.hidden } : {}),
      ...(update.optOutOfDataUse ? { allowDataUse: false } : {}),
    })
    .where(and(eq(chats.id, chatId), eq(chats.userId, userId)))
    .returning();
  return toChatSummary(chat!);
}

/** OA's `PUT /chats/hide_all`, which its route order made unreachable (spec inference §7). */
export async function hideAllChats(db: DbOrTx, userId: string): Promise<number> {
  const rows = await db
    .update(chats)
    .set({ hidden: true })
    .where(and(eq(chats.userId, userId), eq(chats.hidden, false)))
    .returning({ id: chats.id });
  return rows.length;
}

/**
 * Hard delete, as OA: messages, jobs, chunks, reports and evaluations go with the chat (foreign keys cascade). A
 * worker still generating for it loses its lease fence on the next write and drops the job.
 */
export async function deleteChat(db: DbOrTx, userId: string, chatId: string): Promise<void> {
  const deleted = await db.delete(chats).where(and(eq(chats.id, chatId), eq(chats.userId, userId))).returning({ id: chats.id });
  if (deleted.length === 0) await findOwnedChatOrThrow(db, userId, chatId);
}

/** Remembers which leaf the user is looking at (OA `active_thread_tail_message_id`), so a reload shows that branch. */
export async function setActiveTail(db: Database, userId: string, chatId: string, messageId: string): Promise<ChatSummary> {
  return db.transaction(async (tx) => {
    await findOwnedChatOrThrow(tx, userId, chatId, true);
    const [message] = await tx
      .select({ id: chatMessages.id })
      .from(chatMessages)
      .where(and(eq(chatMessages.id, messageId), eq(chatMessages.chatId, chatId)));
    if (!message) throw messageNotFound(messageId);
    const [chat] = await tx.update(chats).set({ activeThreadTailMessageId: messageId }).where(eq(chats.id, chatId)).returning();
    return toChatSummary(chat!);
  });
}
