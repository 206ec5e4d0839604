import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { flaggedMessages, messageToxicity } from "@/server/db/schema";
import type { ToxicityResult } from "./client";

/**
 * Stores the classification (one row per message and model; a repeat replaces it) and, when the toxic score
 * reaches the threshold, flags the message for moderators (the queue's `toxic` kind). A message a moderator already handled
 * stays handled: a re-run (a retry, a replayed event) never re-opens it. Returns whether it is flagged now.
 */
export async function storeToxicity(db: DbOrTx, messageId: string, model: string, result: ToxicityResult, flagThreshold: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx
      .insert(messageToxicity)
      .values({ messageId, model, label: result.label, score: result.score })
      .onConflictDoUpdate({ target: [messageToxicity.messageId, messageToxicity.model], set: { label: result.label, score: result.score, createdDate: sql`now()` } });
    if (result.toxicScore < flagThreshold) return false;
    // Files the flag under the queue's own `toxic` kind (migration admin_queue_toxic), apart from reports.
    await tx.execute(sql`select set_config('oa.queue_kind', 'toxic', true)`);
    await tx.insert(flaggedMessages).values({ messageId }).onConflictDoNothing();
    return true;
  });
}

export async function hasToxicity(db: DbOrTx, messageId: string, model: string): Promise<boolean> {
  const [row] = await db
    .select({ id: messageToxicity.messageId })
    .from(messageToxicity)
    .where(and(eq(messageToxicity.messageId, messageId), eq(messageToxicity.model, model)));
  return Boolean(row);
}
