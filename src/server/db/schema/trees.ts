import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgTable, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, timestamptz } from "./columns";
import { messages } from "./messages";

/** The tree state machine of spec backend §3.2. */
export const treeState = pgEnum("tree_state", [
  "initial_prompt_review",
  "growing",
  "ranking",
  "ready_for_scoring",
  "ready_for_export",
  "scoring_failed",
  "aborted_low_grade",
  "halted_by_moderator",
  "backlog_ranking",
  "prompt_lottery_waiting",
]);
export const TREE_STATES = treeState.enumValues;
export type TreeState = (typeof TREE_STATES)[number];

/** One row per conversation tree, keyed by the root message id. */
export const messageTreeStates = pgTable(
  "message_tree_states",
  {
    messageTreeId: uuid().primaryKey().references(() => messages.id, { onDelete: "cascade" }),
    goalTreeSize: integer().notNull(),
    maxDepth: integer().notNull(),
    maxChildrenCount: integer().notNull(),
    state: treeState().notNull(),
    /** Non-terminal trees are active; entering a terminal state clears it. */
    active: boolean().notNull(),
    /** Import source (file name), null for trees grown here. */
    origin: varchar({ length: 1024 }),
    wonPromptLotteryDate: timestamptz(),
    lang: varchar({ length: 32 }).notNull(),
    createdAt: createdAt(),
    updatedAt: createdAt().$onUpdate(() => new Date()),
  },
  (t) => [
    index("message_tree_states_state_lang_idx").on(t.state, t.lang),
    index("message_tree_states_active_idx").on(t.lang, t.state).where(sql`${t.active}`),
  ],
);
