import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messageEmojis, messages } from "@/server/db/schema";

/**
 * Adds a user's emoji to a message and bumps the message's aggregate count in the same statement order, atomically
 * (`jsonb_set` over the current value, never read-modify-write; fix §8.2). Returns false when the user already had it.
 */
export async function addEmoji(tx: DbOrTx, messageId: string, userId: string, emoji: string): Promise<boolean> {
  const inserted = await tx.insert(messageEmojis).values({ messageId, userId, emoji }).onConflictDoNothing().returning();
  if (inserted.length === 0) return false;
  await tx
    .update(messages)
    .set({
      emojis: sql`jsonb_set(${messages.emojis}, array[${emoji}]::text[], to_jsonb(coalesce((${messages.emojis} ->> ${emoji})::int, 0) + 1))`,
    })
    .where(eq(messages.id, messageId));
  return true;
}

/** Removes a user's emoji; the count's key disappears at zero. Returns false when the user did not have it. */
export async function removeEmoji(tx: DbOrTx, messageId: string, userId: string, emoji: string): Promise<boolean> {
  const deleted = await tx
    .delete(messageEmojis)
    .where(and(eq(messageEmojis.messageId, messageId), eq(messageEmojis.userId, userId), eq(messageEmojis.emoji, emoji)))
    .returning();
  if (deleted.length === 0) return false;
  await tx
    .update(messages)
    .set({
      emojis: sql`case when coalesce((${messages.emojis} ->> ${emoji})::int, 0) <= 1 then ${messages.emojis} - ${emoji}
        else jsonb_set(${messages.emojis}, array[${emoji}]::text[], to_jsonb((${messages.emojis} ->> ${emoji})::int - 1)) end`,
    })
    .where(eq(messages.id, messageId));
  return true;
}
