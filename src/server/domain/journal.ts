import type { DbOrTx } from "@/server/db/client";
import { journal } from "@/server/db/schema";

export type JournalEvent = {
  userId: string;
  apiClientId: string | null;
  messageId: string | null;
  eventType: "text_reply_to_message" | "message_ranking" | "text_labels" | "gold_answer";
  payload: Record<string, unknown>;
};

/** The journal entry's insert, to run on its own or as part of another statement (`finishTask`). */
export function journalInsert(tx: DbOrTx, event: JournalEvent) {
  return tx.insert(journal).values({
    userId: event.userId,
    apiClientId: event.apiClientId,
    messageId: event.messageId,
    eventType: event.eventType,
    eventPayload: event.payload,
  });
}

/** Write-only audit trail of contributions (spec §1.15). */
export async function writeJournal(tx: DbOrTx, event: JournalEvent): Promise<void> {
  await journalInsert(tx, event);
}
