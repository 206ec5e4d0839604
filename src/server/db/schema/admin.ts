import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { timestamptz, uuidPk } from "./columns";

/**
 * What lands in the moderation queue. Rows are kept by database triggers (migration `admin_queue_triggers`) on the
 * tables whose changes call for a human, so every writer — tasks, emojis, reports, toxicity, auto-moderation —
 * feeds the queue without knowing about it:
 * - `flagged`: a row in `flagged_messages` became unprocessed (a report or a red flag);
 * - `toxic`: the toxicity classifier scored a message over `TOXICITY_FLAG_THRESHOLD` (it flags the message with
 *   `oa.queue_kind = 'toxic'` set for its transaction, so the same trigger files it under its own kind);
 * - `rejected`: reviewers rejected a message (`review_result` became false);
 * - `skipped`: a message was skipped often (`_skip_reply` reached 10);
 * - `auto_moderated`: auto-moderation stopped a tree (red-flagged prompt aborted, or halted for skips);
 * - `split_reviews`: the quality job found the rankers of a sibling group (the ranking parent) among the least agreeing
 *   (quality/split-reviews.ts; not a trigger, the job enqueues them).
 */
export const moderationQueueKind = pgEnum("moderation_queue_kind", ["flagged", "rejected", "skipped", "auto_moderated", "toxic", "split_reviews"]);
export const MODERATION_QUEUE_KINDS = moderationQueueKind.enumValues;
export type ModerationQueueKind = (typeof MODERATION_QUEUE_KINDS)[number];

export const moderationQueueItems = pgTable(
  "moderation_queue_items",
  {
    id: uuidPk(),
    kind: moderationQueueKind().notNull(),
    /** The message concerned (the tree's root for `auto_moderated`); no foreign key so a purge leaves no dangling claim. */
    messageId: uuid().notNull(),
    messageTreeId: uuid().notNull(),
    lang: varchar({ length: 32 }).notNull(),
    /** When the item (re)entered the queue; a new report on a reviewed item reopens it. */
    detectedAt: timestamptz().notNull().defaultNow(),
    /** A moderator working on the item holds it until `claimExpiresAt` (a short lease, like the task hand-out). */
    claimedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    claimExpiresAt: timestamptz(),
    /** Set once a moderator acted on (or dismissed) the item; null while it is open. */
    resolvedAt: timestamptz(),
    resolvedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    resolution: varchar({ length: 32 }),
    /** Optimistic concurrency: every change bumps it; actions carry the version the moderator saw. */
    version: integer().notNull().default(1),
  },
  (t) => [
    uniqueIndex("moderation_queue_items_kind_message_uq").on(t.kind, t.messageId),
    index("moderation_queue_items_open_idx").on(t.detectedAt).where(sql`${t.resolvedAt} is null`),
    index("moderation_queue_items_open_kind_idx").on(t.kind, t.lang, t.detectedAt).where(sql`${t.resolvedAt} is null`),
    index("moderation_queue_items_tree_idx").on(t.messageTreeId),
  ],
);

/** Every state a tree went through, kept by a trigger on `message_tree_states` (the tree page's history). */
export const treeStateChanges = pgTable(
  "tree_state_changes",
  {
    id: uuidPk(),
    messageTreeId: uuid().notNull(),
    fromState: varchar({ length: 64 }),
    toState: varchar({ length: 64 }).notNull(),
    changedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [index("tree_state_changes_tree_idx").on(t.messageTreeId, t.changedAt)],
);
