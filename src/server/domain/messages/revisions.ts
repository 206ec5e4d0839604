import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { messageRevisions, messages, users } from "@/server/db/schema";
import { MESSAGE_SIZE_LIMIT } from "@/server/domain/tasks/types";
import { AppError } from "@/server/errors";
import { canOpen, type MessageView, publicAuthorName, type Viewer } from "./dto";
import { findMessage, loadMessageView, lockMessageOrThrow, messageNotFound } from "./queries";

export const ZRevision = z.object({
  id: z.uuid(),
  text: z.string(),
  createdDate: z.date(),
  editorName: z.string().nullable(),
  /** Only for moderators and for the editor themselves. */
  editorId: z.uuid().nullable(),
});
export type RevisionView = z.infer<typeof ZRevision>;

function assertMayEdit(message: { userId: string | null }, viewer: Viewer): void {
  if (!viewer.isModerator && message.userId !== viewer.userId) {
    throw new AppError("FORBIDDEN", "Only the author or a moderator can edit this message or see its history.");
  }
}

/** The same limits as a new message: edits could bypass them in the original (fix §8.7). */
export function normaliseMessageText(raw: string): string {
  const text = raw.trim();
  if (!text) throw new AppError("TASK_MESSAGE_TEXT_EMPTY", "The message text cannot be empty.");
  if (text.length > MESSAGE_SIZE_LIMIT) {
    throw new AppError("TASK_MESSAGE_TOO_LONG", `The message is ${text.length} characters long; the limit is ${MESSAGE_SIZE_LIMIT}.`);
  }
  return text;
}

/**
 * Replaces a message's text, keeping its history (OA `revise_message`): the first edit snapshots the original text
 * with its author and date, then every edit stores the new text with its editor. Unchanged text writes nothing.
 */
export async function editMessage(db: DbOrTx, viewer: Viewer, input: { messageId: string; text: string }): Promise<MessageView> {
  const text = normaliseMessageText(input.text);
  return db.transaction(async (tx) => {
    const message = await lockMessageOrThrow(tx, input.messageId);
    if (!canOpen(message, viewer)) throw messageNotFound(input.messageId);
    assertMayEdit(message, viewer);
    if (message.text !== text) {
      if (!message.edited) {
        await tx.insert(messageRevisions).values({ messageId: message.id, userId: message.userId, text: message.text, createdDate: message.createdDate });
      }
      await tx.insert(messageRevisions).values({ messageId: message.id, userId: viewer.userId, text });
      await tx.update(messages).set({ text, edited: true }).where(eq(messages.id, message.id));
    }
    return loadMessageView(tx, viewer, message.id);
  });
}

/** All versions of an edited message, oldest (the original) first; empty when it was never edited. */
export async function listRevisions(db: DbOrTx, viewer: Viewer, messageId: string): Promise<RevisionView[]> {
  const found = await findMessage(db, messageId);
  if (!found || !canOpen(found.message, viewer)) throw messageNotFound(messageId);
  assertMayEdit(found.message, viewer);
  const rows = await db
    .select({ revision: messageRevisions, name: users.name, deleted: users.deleted })
    .from(messageRevisions)
    .leftJoin(users, eq(users.id, messageRevisions.userId))
    .where(eq(messageRevisions.messageId, messageId))
    .orderBy(asc(messageRevisions.createdDate), asc(messageRevisions.id));
  return rows.map(({ revision, name, deleted }) => ({
    id: revision.id,
    text: revision.text,
    createdDate: revision.createdDate,
    editorName: publicAuthorName(revision.userId, name, deleted),
    editorId: viewer.isModerator || revision.userId === viewer.userId ? revision.userId : null,
  }));
}
