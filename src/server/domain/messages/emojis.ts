import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { flaggedMessages, messageEmojis } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { applyAutoModeration } from "@/server/domain/moderation/auto-moderation";
import type { TreeDeps } from "@/server/domain/trees/deps";
import type { MessageView, Viewer } from "./dto";
import { addEmoji, removeEmoji } from "./emoji-counts";
import { lockMessageOrThrow, loadMessageView, messageNotFound } from "./queries";

/** Reactions a user may set (OA `EmojiCode`). The `_skip_*` codes are written by task skips only. */
export const USER_EMOJI_CODES = [
  "+1", "-1", "red_flag", "100", "rofl", "clap", "diamond", "heart_eyes", "disappointed", "poop", "skull",
] as const;
export type UserEmojiCode = (typeof USER_EMOJI_CODES)[number];
export const EMOJI_OPS = ["toggle", "add", "remove"] as const;
export type EmojiOp = (typeof EMOJI_OPS)[number];

const OPPOSITE_VOTE: Partial<Record<string, UserEmojiCode>> = { "+1": "-1", "-1": "+1" };

function assertUserEmoji(code: string): asserts code is UserEmojiCode {
  if (!(USER_EMOJI_CODES as readonly string[]).includes(code)) {
    const why = code.startsWith("_") ? "is set by the system and cannot be changed by hand" : "is not a known emoji";
    throw new AppError("EMOJI_OP_UNSUPPORTED", `The emoji "${code}" ${why}.`, { allowed: [...USER_EMOJI_CODES] });
  }
}

/** A red flag puts the message (back) at the end of the moderators' queue (spec §1.16). */
export async function queueFlaggedMessage(tx: DbOrTx, messageId: string): Promise<void> {
  await tx
    .insert(flaggedMessages)
    .values({ messageId })
    .onConflictDoUpdate({ target: flaggedMessages.messageId, set: { processed: false, createdDate: sql`now()` } });
}

async function hasEmoji(tx: DbOrTx, messageId: string, userId: string, emoji: string): Promise<boolean> {
  const [row] = await tx
    .select({ emoji: messageEmojis.emoji })
    .from(messageEmojis)
    .where(and(eq(messageEmojis.messageId, messageId), eq(messageEmojis.userId, userId), eq(messageEmojis.emoji, emoji)))
    .limit(1);
  return row !== undefined;
}

/**
 * Adds the user's red flag (no-op when present), re-queues the message for moderators and lets auto-moderation act
 * on the new count. Shared by the emoji path and reports.
 */
export async function raiseRedFlag(tx: DbOrTx, messageId: string, userId: string, deps: TreeDeps): Promise<void> {
  const added = await addEmoji(tx, messageId, userId, "red_flag");
  await queueFlaggedMessage(tx, messageId);
  if (added) await applyAutoModeration(tx, messageId, deps);
}

/**
 * Sets or clears one of the user's reactions (spec §4.5): `toggle` flips it, `add`/`remove` are idempotent; a `+1`
 * replaces the user's `-1` and vice versa; authors cannot vote on their own message (ignored, as the original). The
 * message row is locked first, so one user's rapid toggles apply in order and counts always equal the rows.
 */
export async function setMessageEmoji(
  db: DbOrTx,
  viewer: Viewer,
  input: { messageId: string; emoji: string; op: EmojiOp },
  deps: TreeDeps,
): Promise<MessageView> {
  const { messageId, emoji, op } = input;
  assertUserEmoji(emoji);
  return db.transaction(async (tx) => {
    const message = await lockMessageOrThrow(tx, messageId);
    if (message.deleted) throw messageNotFound(messageId);
    const opposite = OPPOSITE_VOTE[emoji];
    const ownVote = opposite !== undefined && message.userId === viewer.userId;
    if (!ownVote) {
      const present = await hasEmoji(tx, messageId, viewer.userId, emoji);
      const wantPresent = op === "add" || (op === "toggle" && !present);
      if (wantPresent && !present) {
        if (opposite) await removeEmoji(tx, messageId, viewer.userId, opposite);
        if (emoji === "red_flag") await raiseRedFlag(tx, messageId, viewer.userId, deps);
        else await addEmoji(tx, messageId, viewer.userId, emoji);
      } else if (!wantPresent && present) {
        await removeEmoji(tx, messageId, viewer.userId, emoji);
      }
    }
    return loadMessageView(tx, viewer, messageId);
  });
}
