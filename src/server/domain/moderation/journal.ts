import { sql } from "drizzle-orm";
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
  | "moderation_flag_processed"
  | "moderation_queue_resolve"
  | "moderation_edit_message"
  | "moderation_mark_gold"
  | "moderation_unmark_gold"
  | "admin_create_api_client"
  | "admin_update_api_client";

/**
 * Marks the transaction as a moderator's own action: the queue triggers (migration admin_queue_triggers) then do
 * not queue what the moderator just did (a halt they chose is not a halt to review).
 */
export async function markModeratorAction(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select set_config('oa.moderator_action', 'on', true)`);
}

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
