import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { chatMessages, chatReports, chats, inferenceJobs, type InferenceJobStatus } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { type ChatMessageDto, type ChatMessageRow, type ChatReportRow, type ChatRow, toChatMessage } from "./dto";

/** Reads shared by the chat operations, the reply stream and the worker. */

/** A time on the database's clock, so that app servers and workers on other machines agree about deadlines. */
export const msFromNow = (ms: number) => sql`now() + ${Math.round(ms)}::integer * interval '1 millisecond'`;

export const chatNotFound = (chatId: string) => new AppError("CHAT_NOT_FOUND", `Chat ${chatId} not found.`);
export const messageNotFound = (messageId: string) => new AppError("CHAT_MESSAGE_NOT_FOUND", `Message ${messageId} not found.`);

/** Someone else's chat is reported as missing, so ids cannot be probed. `lock` queues writers of the same chat. */
export async function findOwnedChatOrThrow(tx: DbOrTx, userId: string, chatId: string, lock = false): Promise<ChatRow> {
  const query = tx.select().from(chats).where(and(eq(chats.id, chatId), eq(chats.userId, userId)));
  const [chat] = lock ? await query.for("update") : await query;
  if (!chat) throw chatNotFound(chatId);
  return chat;
}

/** The message and its chat, if the chat belongs to `userId`; `lock` locks the chat row. */
export async function findOwnedMessageOrThrow(
  tx: DbOrTx,
  userId: string,
  messageId: string,
  lock = false,
): Promise<{ message: ChatMessageRow; chat: ChatRow }> {
  const query = tx
    .select({ message: chatMessages, chat: chats })
    .from(chatMessages)
    .innerJoin(chats, eq(chats.id, chatMessages.chatId))
    .where(and(eq(chatMessages.id, messageId), eq(chats.userId, userId)));
  const [row] = lock ? await query.for("update", { of: chats }) : await query;
  if (!row) throw messageNotFound(messageId);
  return row;
}

export async function countChatMessages(tx: DbOrTx, chatId: string): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(chatMessages).where(eq(chatMessages.chatId, chatId));
  return row?.n ?? 0;
}

/** Every message of a chat with its job status and reports, oldest first. */
export async function loadChatMessageDtos(tx: DbOrTx, chatId: string): Promise<ChatMessageDto[]> {
  const rows = await tx
    .select({ message: chatMessages, jobStatus: inferenceJobs.status })
    .from(chatMessages)
    .leftJoin(inferenceJobs, eq(inferenceJobs.chatMessageId, chatMessages.id))
    .where(eq(chatMessages.chatId, chatId))
    .orderBy(asc(chatMessages.createdAt), asc(chatMessages.id));
  const reports = await loadReports(tx, rows.map((row) => row.message.id));
  return rows.map((row) => toChatMessage(row.message, row.jobStatus, reports.get(row.message.id)));
}

export async function loadChatMessageDto(tx: DbOrTx, messageId: string): Promise<ChatMessageDto> {
  const [row] = await tx
    .select({ message: chatMessages, jobStatus: inferenceJobs.status })
    .from(chatMessages)
    .leftJoin(inferenceJobs, eq(inferenceJobs.chatMessageId, chatMessages.id))
    .where(eq(chatMessages.id, messageId));
  if (!row) throw messageNotFound(messageId);
  const reports = await loadReports(tx, [messageId]);
  return toChatMessage(row.message, row.jobStatus as InferenceJobStatus | null, reports.get(messageId));
}

async function loadReports(tx: DbOrTx, messageIds: string[]): Promise<Map<string, ChatReportRow[]>> {
  const byMessage = new Map<string, ChatReportRow[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await tx.select().from(chatReports).where(inArray(chatReports.messageId, messageIds)).orderBy(asc(chatReports.createdAt));
  for (const row of rows) byMessage.set(row.messageId, [...(byMessage.get(row.messageId) ?? []), row]);
  return byMessage;
}
