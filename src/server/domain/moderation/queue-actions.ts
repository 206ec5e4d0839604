import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx, Transaction } from "@/server/db/client";
import { flaggedMessages, messages, moderationQueueItems, users } from "@/server/db/schema";
import type { Viewer } from "@/server/domain/messages/dto";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { AppError } from "@/server/errors";
import { haltTreeOfMessage, unhaltTreeOfMessage } from "./halt";
import { markModeratorAction, recordModerationEvent } from "./journal";
import { CLAIM_LEASE_SECONDS, type QueueFilter, type QueueItem, toQueueItems } from "./queue";
import { softDeleteMessage, undeleteMessage } from "./soft-delete";
import { type Actor, updateUserAsModerator } from "./users";

type ItemRow = typeof moderationQueueItems.$inferSelect;

const lease = sql`now() + make_interval(secs => ${CLAIM_LEASE_SECONDS})`;

/**
 * Hands the moderator the next open item nobody else holds, and claims it (the task hand-out's pattern: one
 * statement, `FOR UPDATE SKIP LOCKED`, so two moderators asking at once never get the same item). An item the
 * moderator already holds comes first, so a reload continues where they were.
 */
export async function claimNextQueueItem(db: DbOrTx, viewer: Viewer, filter: Partial<QueueFilter>): Promise<QueueItem | null> {
  const kind = filter.kind ? sql`and kind = ${filter.kind}` : sql``;
  const lang = filter.lang ? sql`and lang = ${filter.lang}` : sql``;
  const order = filter.order === "newest" ? sql`detected_at desc, id desc` : sql`detected_at, id`;
  const claimed = await db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: string }>(sql`
      update moderation_queue_items set claimed_by = ${viewer.userId}, claim_expires_at = ${lease}
      where id = (
        select id from moderation_queue_items
        where resolved_at is null ${kind} ${lang}
          and (claimed_by is null or claim_expires_at <= now() or claimed_by = ${viewer.userId})
        order by (claimed_by = ${viewer.userId} and claim_expires_at > now()) desc nulls last, ${order}
        limit 1 for update skip locked
      ) returning id`);
    const id = rows[0]?.id;
    if (!id) return null;
    return (await tx.select().from(moderationQueueItems).where(eq(moderationQueueItems.id, id)))[0] ?? null;
  });
  return claimed ? (await toQueueItems(db, viewer, [claimed]))[0]! : null;
}

async function lockItem(tx: DbOrTx, itemId: string): Promise<ItemRow> {
  const [item] = await tx.select().from(moderationQueueItems).where(eq(moderationQueueItems.id, itemId)).for("update");
  if (!item) throw new AppError("NOT_FOUND", "This queue item does not exist (any more).");
  return item;
}

async function holderName(tx: DbOrTx, userId: string): Promise<string> {
  const [row] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return row?.name ?? "another moderator";
}

/** Refuses to act on an item someone else holds, or on a state the moderator has not seen (optimistic version). */
async function assertMayWork(tx: DbOrTx, item: ItemRow, actorId: string, expectedVersion: number | undefined): Promise<void> {
  if (item.resolvedAt) throw new AppError("CONFLICT", "Another moderator already reviewed this item.");
  const heldByOther = item.claimedBy && item.claimedBy !== actorId && item.claimExpiresAt && item.claimExpiresAt > new Date();
  if (heldByOther) throw new AppError("CONFLICT", `${await holderName(tx, item.claimedBy!)} is working on this item.`);
  if (expectedVersion !== undefined && expectedVersion !== item.version) {
    throw new AppError("CONFLICT", "This item changed since you opened it (another moderator acted on it); reload it and try again.");
  }
}

/** Claims (or renews the claim on) one item; CONFLICT while another moderator holds it. */
export async function claimQueueItem(db: DbOrTx, viewer: Viewer, itemId: string): Promise<QueueItem> {
  const row = await db.transaction(async (tx) => {
    const item = await lockItem(tx, itemId);
    await assertMayWork(tx, item, viewer.userId, undefined);
    const [claimed] = await tx
      .update(moderationQueueItems)
      .set({ claimedBy: viewer.userId, claimExpiresAt: sql`${lease}` })
      .where(eq(moderationQueueItems.id, itemId))
      .returning();
    return claimed!;
  });
  return (await toQueueItems(db, viewer, [row]))[0]!;
}

/** Gives an item back to the queue without reviewing it. */
export async function releaseQueueItem(db: DbOrTx, viewer: Viewer, itemId: string): Promise<void> {
  await db
    .update(moderationQueueItems)
    .set({ claimedBy: null, claimExpiresAt: null })
    .where(and(eq(moderationQueueItems.id, itemId), eq(moderationQueueItems.claimedBy, viewer.userId)));
}

export const QUEUE_ACTIONS = ["delete", "undelete", "halt", "unhalt", "ban", "reviewed", "dismiss"] as const;
export const ZQueueAction = z.enum(QUEUE_ACTIONS);
export type QueueAction = z.infer<typeof ZQueueAction>;

async function authorOf(tx: DbOrTx, messageId: string): Promise<string> {
  const [row] = await tx.select({ userId: messages.userId }).from(messages).where(eq(messages.id, messageId));
  if (!row) throw new AppError("MESSAGE_NOT_FOUND", "The message of this item was purged.");
  if (!row.userId) throw new AppError("CONFLICT", "This message has no author account to ban.");
  return row.userId;
}

/** One action on the item's message, tree or author, run inside the item's transaction (nested as a savepoint). */
async function applyAction(tx: Transaction, actor: Actor, item: ItemRow, action: QueueAction, deps: TreeDeps): Promise<void> {
  switch (action) {
    case "delete": await softDeleteMessage(tx, actor.userId, item.messageId, deps); return;
    case "undelete": await undeleteMessage(tx, actor.userId, item.messageId, deps); return;
    case "halt": await haltTreeOfMessage(tx, actor.userId, item.messageId, deps); return;
    case "unhalt": await unhaltTreeOfMessage(tx, actor.userId, item.messageId, deps); return;
    case "ban": await updateUserAsModerator(tx, actor, await authorOf(tx, item.messageId), { role: "banned" }, deps, undefined, item.messageId); return;
    case "reviewed":
    case "dismiss": return;
  }
}

/**
 * Acts on a queue item the moderator holds (claiming it if free): delete/undelete the message, halt/unhalt its
 * tree or ban its author keep the item open (several actions often go together); `reviewed` and `dismiss` close
 * it, and a closed `flagged` or `toxic` item also marks the message's flags processed. Each action is journaled by the operation
 * itself, and the item's version moves on, in the same transaction.
 */
export async function actOnQueueItem(
  db: DbOrTx,
  actor: Actor,
  viewer: Viewer,
  input: { itemId: string; version: number; action: QueueAction },
  deps: TreeDeps,
): Promise<QueueItem> {
  const row = await db.transaction(async (tx) => {
    await markModeratorAction(tx);
    const item = await lockItem(tx, input.itemId);
    await assertMayWork(tx, item, actor.userId, input.version);
    await applyAction(tx, actor, item, input.action, deps);
    const closes = input.action === "reviewed" || input.action === "dismiss";
    const [updated] = await tx
      .update(moderationQueueItems)
      .set(closes
        ? { resolvedAt: sql`now()`, resolvedBy: actor.userId, resolution: input.action, claimedBy: null, claimExpiresAt: null, version: item.version + 1 }
        : { claimedBy: actor.userId, claimExpiresAt: sql`${lease}`, version: item.version + 1 })
      .where(eq(moderationQueueItems.id, item.id))
      .returning();
    if (closes) {
      if (item.kind === "flagged" || item.kind === "toxic") await tx.update(flaggedMessages).set({ processed: true }).where(eq(flaggedMessages.messageId, item.messageId));
      await recordModerationEvent(tx, actor.userId, "moderation_queue_resolve", {
        messageId: item.messageId,
        payload: { itemId: item.id, kind: item.kind, resolution: input.action },
      });
    }
    return updated!;
  });
  return (await toQueueItems(db, viewer, [row]))[0]!;
}
