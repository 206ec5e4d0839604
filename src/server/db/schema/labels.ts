import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, primaryKey, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { apiClients } from "./api-clients";
import { users } from "./auth";
import { createdAt } from "./columns";
import { messages } from "./messages";
import { tasks } from "./tasks";

/** Label values are floats in [0, 1], keyed by label name (spec backend §2.4). */
export type LabelValues = Record<string, number>;

/**
 * Labels given to a message: task-based reviews (id = task id) and free labels / reports (random id).
 */
export const textLabels = pgTable(
  "text_labels",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    createdDate: createdAt(),
    apiClientId: uuid().references(() => apiClients.id),
    /** Free text, e.g. the reason of a report. */
    text: varchar({ length: 65536 }).notNull().default(""),
    messageId: uuid().references(() => messages.id, { onDelete: "cascade" }),
    labels: jsonb().$type<LabelValues>().notNull(),
    taskId: uuid(),
  },
  (t) => [
    index("text_labels_message_idx").on(t.messageId),
    index("text_labels_task_idx").on(t.taskId),
    // One task-based review per reviewer and message (spec §8.2: the original let reviewers overshoot).
    uniqueIndex("text_labels_one_review_per_user_uq")
      .on(t.userId, t.messageId)
      .where(sql`${t.taskId} is not null`),
  ],
);

/** A ranking submitted for a rank task, stored as the original's `RankingReactionPayload`. */
export type RankingReactionPayload = {
  type: "message_ranking";
  /** Message ids best first. */
  rankedMessageIds: string[];
  rankingParentId: string;
  messageTreeId: string;
  notRankable: boolean;
};

export const messageReactions = pgTable(
  "message_reactions",
  {
    taskId: uuid().notNull().references(() => tasks.id, { onDelete: "cascade" }),
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    createdDate: createdAt(),
    payload: jsonb().$type<RankingReactionPayload>().notNull(),
    apiClientId: uuid().references(() => apiClients.id),
    /** For rankings: the ranking parent. */
    messageId: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.taskId, t.userId] }),
    index("message_reactions_message_idx").on(t.messageId),
    index("message_reactions_user_created_idx").on(t.userId, t.createdDate),
  ],
);

