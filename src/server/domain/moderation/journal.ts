import type { DbOrTx } from "@/server/db/client";
import { journal } from "@/server/db/schema";

/** Moderator actions go to the audit journal next to the contributions they change. */
export type ModerationEvent =
  | "moderation_halt_tree"
  | "moderation_unhalt_tree"
  | "moderation_delete_message"
  | "moderation_undelete_message"
  | "moderation_purge_tree"
  | "moderation_purge_user_messages"
  | "moderation_update_user"
  | "moderation_delete_user"
  | "moderation_flag_processed";

export async function recordModerationEvent(
  tx: DbOrTx,
  actorId: string,
  eventType: ModerationEvent,
  target: { messageId?: string | null; payload?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(journal).values({
    userId: actorId,
    messageId: target.messageId ?? null,
    eventType,
    eventPayload: { actorId, ...target.payload },
  });
}
