import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgEnum, pgTable, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { apiClients } from "./api-clients";
import { users } from "./auth";
import { createdAt, timestamptz, uuidPk } from "./columns";

/** Task types that can be handed out (spec backend §2.1; `random` is a request, never a stored task). */
export const taskType = pgEnum("task_type", [
  "initial_prompt",
  "prompter_reply",
  "assistant_reply",
  "rank_initial_prompts",
  "rank_prompter_replies",
  "rank_assistant_replies",
  "label_initial_prompt",
  "label_prompter_reply",
  "label_assistant_reply",
  "summarize_story",
  "rate_summary",
]);
export const TASK_TYPES = taskType.enumValues;
export type TaskType = (typeof TASK_TYPES)[number];

/** A unit of work handed to one contributor (spec backend §1.3). */
export const tasks = pgTable(
  "tasks",
  {
    id: uuidPk(),
    createdDate: createdAt(),
    /** Null for collective tasks, which never expire. */
    expiryDate: timestamptz(),
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    type: taskType().notNull(),
    /** The task as shown to the contributor (conversation, replies, labels…), kept to validate the answer. */
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    apiClientId: uuid().references(() => apiClients.id),
    /** null = not acknowledged yet, true = acknowledged. */
    ack: boolean(),
    done: boolean().notNull().default(false),
    skipped: boolean().notNull().default(false),
    skipReason: varchar({ length: 512 }),
    /** Client message id bound at acknowledgement. */
    frontendMessageId: varchar({ length: 200 }),
    messageTreeId: uuid(),
    /** Reply tasks: the parent; label tasks: the labelled message; rank tasks: the ranking parent. */
    parentMessageId: uuid(),
    collective: boolean().notNull().default(false),
    /**
     * A review task of a gold item (quality/gold.ts): to the reviewer it is an ordinary review task (same type and
     * payload); its answer is scored against the expected labels and never becomes a review of the message.
     */
    gold: boolean().notNull().default(false),
  },
  (t) => [
    // The original did not enforce this and answered a duplicate binding with a 500 (spec §8.7).
    uniqueIndex("tasks_frontend_message_id_uq").on(t.apiClientId, t.frontendMessageId),
    index("tasks_user_created_idx").on(t.userId, t.createdDate),
    // The three partial indexes over open tasks each require their key in the predicate (`… is not null`), so a query
    // can only use the one whose key it looks up. Without that, a query by target (say) could also use the tree or
    // expiry index as a full scan with a filter, and whenever the statistics say these indexes are empty (a fresh or
    // quiet database, analyzed while no task was open) the planner sees no difference in cost and may pick that:
    // every hand-out rule check then read every open task, and the hand-out slowed down as tasks stayed open (issue
    // 15, bench/results/load-pg-1m-openloop.md). The generic plans of the hand-out keep such a choice per connection.
    // Open reservations on a target message (replies, reviews, rankings being written right now).
    index("tasks_open_by_target_idx")
      .on(t.parentMessageId, t.type)
      .where(sql`not ${t.done} and not ${t.skipped} and ${t.parentMessageId} is not null`),
    index("tasks_expiry_idx").on(t.expiryDate).where(sql`not ${t.done} and ${t.expiryDate} is not null`),
    // Open reply tasks of a tree: the tree-level reservation of the hand-out (domain/tasks/candidates.ts).
    index("tasks_open_by_tree_idx")
      .on(t.messageTreeId, t.type)
      .where(sql`not ${t.done} and not ${t.skipped} and ${t.messageTreeId} is not null`),
  ],
);
