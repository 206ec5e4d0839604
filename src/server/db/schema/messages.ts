import { sql } from "drizzle-orm";
import {
  type AnyPgColumn, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, real, text, uniqueIndex, uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { apiClients } from "./api-clients";
import { users } from "./auth";
import { createdAt, uuidPk } from "./columns";

export const messageRole = pgEnum("message_role", ["prompter", "assistant"]);
export type MessageRole = (typeof messageRole.enumValues)[number];

/** Aggregate emoji counts per code, including the system codes `_skip_reply`, `_skip_ranking`, `_skip_labeling`. */
export type EmojiCounts = Record<string, number>;

/** A node of a conversation tree (spec backend §1.1). The root's id is the tree's id. */
export const messages = pgTable(
  "messages",
  {
    id: uuidPk(),
    parentId: uuid().references((): AnyPgColumn => messages.id),
    messageTreeId: uuid().notNull(),
    /** The task whose answer created this message (null for imported messages). */
    taskId: uuid(),
    /** Author; null for imported messages whose author is unknown. */
    userId: uuid().references(() => users.id),
    role: messageRole().notNull(),
    apiClientId: uuid().references(() => apiClients.id),
    frontendMessageId: varchar({ length: 200 }).notNull(),
    createdDate: createdAt(),
    text: text().notNull(),
    lang: varchar({ length: 32 }).notNull().default("en"),
    depth: integer().notNull().default(0),
    /** Non-deleted children, maintained atomically on insert and recomputed on purge. */
    childrenCount: integer().notNull().default(0),
    deleted: boolean().notNull().default(false),
    /** Number of task-based review labels received. */
    reviewCount: integer().notNull().default(0),
    /** null = undecided, true = accepted, false = rejected (spam). */
    reviewResult: boolean(),
    /** Completed rankings that included this message. */
    rankingCount: integer().notNull().default(0),
    /**
     * Adaptive review count (tree-manager `adaptiveReviews`): reviews this message needs, raised while its reviews
     * split; null = the fixed count (numReviews*). Kept by the review submit path (quality/adaptive-reviews.ts).
     */
    reviewsWanted: integer(),
    /** The same for the rankings of this message's replies (set on the ranking parent). */
    rankingsWanted: integer(),
    /** Consensus rank among siblings, 0 = best. */
    rank: integer(),
    synthetic: boolean().notNull().default(false),
    edited: boolean().notNull().default(false),
    modelName: varchar({ length: 1024 }),
    emojis: jsonb().$type<EmojiCounts>().notNull().default({}),
  },
  (t) => [
    uniqueIndex("messages_frontend_id_uq").on(t.apiClientId, t.frontendMessageId),
    index("messages_tree_idx").on(t.messageTreeId),
    index("messages_parent_idx").on(t.parentId),
    index("messages_user_created_idx").on(t.userId, t.createdDate),
    index("messages_created_idx").on(t.createdDate),
    index("messages_lang_created_idx").on(t.lang, t.createdDate),
    // A contributor writes at most one live reply under a given parent (spec §2.6 rule 1011, made a constraint).
    uniqueIndex("messages_one_reply_per_user_uq")
      .on(t.parentId, t.userId)
      .where(sql`${t.parentId} is not null and ${t.userId} is not null and not ${t.deleted}`),
    // Review queue: undecided, live messages by language.
    index("messages_review_queue_idx")
      .on(t.lang, t.reviewCount)
      .where(sql`not ${t.deleted} and ${t.reviewResult} is not true`),
  ],
);

/** Earlier versions of an edited message; the first row is the original text by its author. */
export const messageRevisions = pgTable(
  "message_revisions",
  {
    id: uuidPk(),
    messageId: uuid().notNull().references(() => messages.id, { onDelete: "cascade" }),
    userId: uuid().references(() => users.id, { onDelete: "set null" }),
    text: text().notNull(),
    createdDate: createdAt(),
  },
  (t) => [index("message_revisions_message_idx").on(t.messageId, t.createdDate)],
);

/** Per-user emoji toggles; the counts live in `messages.emojis`. */
export const messageEmojis = pgTable(
  "message_emojis",
  {
    messageId: uuid().notNull().references(() => messages.id, { onDelete: "cascade" }),
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    emoji: varchar({ length: 128 }).notNull(),
    createdDate: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId, t.emoji] }), index("message_emojis_user_idx").on(t.userId, t.messageId)],
);

/** Messages reported with a red flag, for the moderators' queue. */
export const flaggedMessages = pgTable(
  "flagged_messages",
  {
    messageId: uuid().primaryKey().references(() => messages.id, { onDelete: "cascade" }),
    processed: boolean().notNull().default(false),
    createdDate: createdAt(),
  },
  (t) => [index("flagged_messages_queue_idx").on(t.processed, t.createdDate)],
);

/** Toxicity classification per message and model (a background job writes it). */
export const messageToxicity = pgTable(
  "message_toxicity",
  {
    messageId: uuid().notNull().references(() => messages.id, { onDelete: "cascade" }),
    model: varchar({ length: 256 }).notNull(),
    score: real().notNull(),
    label: varchar({ length: 256 }).notNull(),
    createdDate: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.model] })],
);

/** Sentence embedding per message and model (a background job writes it). */
export const messageEmbeddings = pgTable(
  "message_embeddings",
  {
    messageId: uuid().notNull().references(() => messages.id, { onDelete: "cascade" }),
    model: varchar({ length: 256 }).notNull(),
    embedding: real().array().notNull(),
    createdDate: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.model] })],
);

