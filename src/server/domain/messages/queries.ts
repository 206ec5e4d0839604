import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messageEmojis, messages, users } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { type MessageRow, type MessageView, type MessageWithAuthor, toMessageView, type Viewer } from "./dto";

/** Every statement that reads messages for display lives here; the write paths keep their SQL next to their rules. */

const withAuthor = { message: messages, authorName: users.name, authorDeleted: users.deleted };

/** Messages joined with their author's public fields (never email or notes). */
export function selectMessagesWithAuthor(tx: DbOrTx, where: SQL | undefined) {
  return tx.select(withAuthor).from(messages).leftJoin(users, eq(users.id, messages.userId)).where(where);
}

export const messageNotFound = (messageId: string) => new AppError("MESSAGE_NOT_FOUND", `Message ${messageId} does not exist.`);

export async function findMessage(tx: DbOrTx, messageId: string): Promise<MessageWithAuthor | null> {
  const [row] = await selectMessagesWithAuthor(tx, eq(messages.id, messageId)).limit(1);
  return row ?? null;
}

/** The message row, locked for the rest of the transaction: emoji, label and edit writes on one message queue here. */
export async function lockMessageOrThrow(tx: DbOrTx, messageId: string): Promise<MessageRow> {
  const [row] = await tx.select().from(messages).where(eq(messages.id, messageId)).for("update");
  if (!row) throw messageNotFound(messageId);
  return row;
}

/** The viewer's own emojis on the given messages, one query for a whole page or tree. */
export async function loadUserEmojis(tx: DbOrTx, userId: string, messageIds: readonly string[]): Promise<Map<string, string[]>> {
  const byMessage = new Map<string, string[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await tx
    .select({ messageId: messageEmojis.messageId, emoji: messageEmojis.emoji })
    .from(messageEmojis)
    .where(and(eq(messageEmojis.userId, userId), inArray(messageEmojis.messageId, [...messageIds])))
    .orderBy(asc(messageEmojis.emoji));
  for (const row of rows) byMessage.set(row.messageId, [...(byMessage.get(row.messageId) ?? []), row.emoji]);
  return byMessage;
}

export async function toMessageViews(tx: DbOrTx, viewer: Viewer, rows: readonly MessageWithAuthor[]): Promise<MessageView[]> {
  const emojis = await loadUserEmojis(tx, viewer.userId, rows.map((row) => row.message.id));
  return rows.map((row) => toMessageView(row, viewer, emojis.get(row.message.id) ?? []));
}

/** The message as the viewer sees it, whatever its state (used after writes, e.g. a report that deleted it). */
export async function loadMessageView(tx: DbOrTx, viewer: Viewer, messageId: string): Promise<MessageView> {
  const row = await findMessage(tx, messageId);
  if (!row) throw messageNotFound(messageId);
  const [view] = await toMessageViews(tx, viewer, [row]);
  return view!;
}

/** Root → message (inclusive), ordered by depth. */
export async function findConversationRows(tx: DbOrTx, messageId: string): Promise<MessageWithAuthor[]> {
  const chain = sql`(with recursive chain as (
      select id, parent_id from messages where id = ${messageId}
      union all
      select p.id, p.parent_id from messages p join chain c on p.id = c.parent_id
    ) select id from chain)`;
  return selectMessagesWithAuthor(tx, sql`${messages.id} in ${chain}`).orderBy(asc(messages.depth));
}

export async function findTreeRows(tx: DbOrTx, treeId: string): Promise<MessageWithAuthor[]> {
  return selectMessagesWithAuthor(tx, eq(messages.messageTreeId, treeId)).orderBy(
    asc(messages.depth),
    sql`${messages.rank} asc nulls last`,
    asc(messages.createdDate),
    asc(messages.id),
  );
}

export async function findChildRows(tx: DbOrTx, parentId: string): Promise<MessageWithAuthor[]> {
  return selectMessagesWithAuthor(tx, eq(messages.parentId, parentId)).orderBy(
    sql`${messages.rank} asc nulls last`,
    asc(messages.createdDate),
    asc(messages.id),
  );
}

/** Postgres array literal of ids taken from the database (uuids need no escaping), for `= any(...)`. */
export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;
