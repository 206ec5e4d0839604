import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messageEmbeddings, messages } from "@/server/db/schema";

/** The text to embed, or null when the message is gone or deleted (nothing to do, not an error). */
export async function findLiveMessageText(db: DbOrTx, messageId: string): Promise<string | null> {
  const [row] = await db.select({ text: messages.text }).from(messages).where(and(eq(messages.id, messageId), eq(messages.deleted, false)));
  return row?.text ?? null;
}

export async function hasEmbedding(db: DbOrTx, messageId: string, model: string): Promise<boolean> {
  const [row] = await db
    .select({ id: messageEmbeddings.messageId })
    .from(messageEmbeddings)
    .where(and(eq(messageEmbeddings.messageId, messageId), eq(messageEmbeddings.model, model)));
  return Boolean(row);
}

/** One embedding per (message, model): a repeated run replaces it rather than adding a row. */
export async function storeEmbedding(db: DbOrTx, messageId: string, model: string, embedding: number[]): Promise<void> {
  await db
    .insert(messageEmbeddings)
    .values({ messageId, model, embedding })
    .onConflictDoUpdate({ target: [messageEmbeddings.messageId, messageEmbeddings.model], set: { embedding, createdDate: sql`now()` } });
}
