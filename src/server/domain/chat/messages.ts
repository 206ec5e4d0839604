import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx, Transaction } from "@/server/db/client";
import { type chatReportType, chatMessageEvaluations, chatMessages, chatReports, chats } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { ChatConfig } from "./config";
import type { ChatMessageDto, ChatMessageRow } from "./dto";
import { countChatMessages, findOwnedChatOrThrow, findOwnedMessageOrThrow, loadChatMessageDto } from "./queries";

/** Prompter messages, votes, reports and draft choices (OA `user_chat_repository.py`, spec inference §1.4, §2.2). */

/** Titles are the first line of the first message, cut to the rename limit (OA stored the whole message). */
export const TITLE_MAX_LENGTH = 100;

export function titleFrom(content: string): string {
  const line = content.trim().split("\n", 1)[0]!.trim();
  return line.length > TITLE_MAX_LENGTH ? `${line.slice(0, TITLE_MAX_LENGTH - 1)}…` : line;
}

/** A reply may follow a finished assistant message; a stopped one counts, since its text is what the user kept. */
export function assertCanFollow(parent: ChatMessageRow | undefined, parentId: string): asserts parent is ChatMessageRow {
  if (!parent) throw new AppError("CHAT_INVALID_PARENT", `Parent message ${parentId} is not in this chat.`);
  if (parent.role !== "assistant") throw new AppError("CHAT_INVALID_PARENT", "A prompter message must follow an assistant message.");
  if (parent.state !== "complete") {
    throw new AppError("CHAT_PARENT_NOT_COMPLETE", "You are trying to reply to a message that is not complete yet.", { state: parent.state });
  }
}

export type PromptInput = { chatId: string; parentId: string | null; content: string };

/**
 * Inside the caller's transaction. `parentId: null` starts the chat (only once); otherwise the parent is a complete
 * assistant message, and a second prompter message under the same parent is an edit (a sibling branch).
 */
export async function insertPrompterMessage(tx: Transaction, config: ChatConfig, userId: string, input: PromptInput): Promise<ChatMessageRow> {
  if (input.content.length > config.messageMaxLength) {
    throw new AppError("CHAT_MESSAGE_TOO_LONG", `A message can be at most ${config.messageMaxLength} characters.`);
  }
  // The chat row lock makes concurrent first messages (two tabs) wait, so only one root is ever written.
  const chat = await findOwnedChatOrThrow(tx, userId, input.chatId, true);
  const count = await countChatMessages(tx, chat.id);
  if (count >= config.chatMaxMessages) {
    throw new AppError("CHAT_TOO_MANY_MESSAGES", `This chat has reached its limit of ${config.chatMaxMessages} messages.`);
  }
  if (input.parentId === null) {
    if (count > 0) throw new AppError("CHAT_INVALID_PARENT", "This chat already has a first message; reply to a message instead.");
  } else {
    const [parent] = await tx
      .select()
      .from(chatMessages)
      .where(and(eq(chatMessages.id, input.parentId), eq(chatMessages.chatId, chat.id)));
    assertCanFollow(parent, input.parentId);
  }
  const [message] = await tx
    .insert(chatMessages)
    .values({ chatId: chat.id, parentId: input.parentId, role: "prompter", state: "manual", content: input.content })
    .returning();
  await tx
    .update(chats)
    .set({ modifiedAt: message!.createdAt, activeThreadTailMessageId: message!.id, ...(chat.title === null ? { title: titleFrom(input.content) } : {}) })
    .where(eq(chats.id, chat.id));
  return message!;
}

function assertAssistant(message: ChatMessageRow) {
  if (message.role !== "assistant") throw new AppError("CHAT_NOT_ASSISTANT_MESSAGE", "Only assistant messages can be voted on or reported.");
}

/** The owner's thumbs: -1, 0 (clear) or +1 on an assistant message. */
export async function voteMessage(db: DbOrTx, userId: string, messageId: string, score: -1 | 0 | 1): Promise<ChatMessageDto> {
  const { message } = await findOwnedMessageOrThrow(db, userId, messageId);
  assertAssistant(message);
  await db.update(chatMessages).set({ score }).where(eq(chatMessages.id, messageId));
  return loadChatMessageDto(db, messageId);
}

export async function reportMessage(
  db: DbOrTx,
  userId: string,
  input: { messageId: string; reportType: (typeof chatReportType.enumValues)[number]; reason: string },
): Promise<ChatMessageDto> {
  const { message } = await findOwnedMessageOrThrow(db, userId, input.messageId);
  assertAssistant(message);
  await db.insert(chatReports).values({ messageId: input.messageId, userId, reportType: input.reportType, reason: input.reason });
  return loadChatMessageDto(db, input.messageId);
}

/**
 * The user picked one of several drafts (sibling replies): recorded as a preference for training (OA
 * `message_evaluation`) unless the chat is opted out, and the chosen one becomes the shown branch.
 */
export async function chooseDraft(db: DbOrTx, userId: string, messageId: string, otherIds: string[]): Promise<void> {
  const { message, chat } = await findOwnedMessageOrThrow(db, userId, messageId);
  assertAssistant(message);
  const others = otherIds.filter((id) => id !== messageId);
  if (others.length > 0) {
    const siblings = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(chatMessages)
      .where(and(inArray(chatMessages.id, others), eq(chatMessages.chatId, chat.id), eq(chatMessages.role, "assistant"), message.parentId ? eq(chatMessages.parentId, message.parentId) : undefined));
    if ((siblings[0]?.n ?? 0) !== new Set(others).size) {
      throw new AppError("CHAT_INVALID_PARENT", "The other drafts must be replies to the same message.");
    }
    if (chat.allowDataUse) {
      await db.insert(chatMessageEvaluations).values({ chatId: chat.id, userId, selectedMessageId: messageId, inferiorMessageIds: [...new Set(others)] });
    }
  }
  await db.update(chats).set({ activeThreadTailMessageId: messageId }).where(eq(chats.id, chat.id));
}
