import { doublePrecision, index, pgTable, primaryKey, uuid, varchar } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";
import { sql } from "drizzle-orm";
import { taskType } from "./tasks";

/**
 * Open work for the task hand-out (DESIGN "Work rows for the hand-out"): one row per target message and task type
 * it could be handed out as — a prompt or reply awaiting reviews, an accepted message that may take a reply, a
 * sibling group to rank. A row says the target is open as far as the message and its tree go; the per-user rules
 * and the remaining capacity (reviews, children, tree goal, rankings, others' reservations) are checked on the few
 * sampled rows (`domain/tasks/candidates.ts`). Maintained by the triggers of migration `handout_task_work`, in the
 * same transaction as every change of a message or tree state (deletes included), whoever makes it;
 * `rebuildTaskWork` repairs it.
 *
 * `fullUntil` marks a row whose target no contributor can be given right now (its capacity is taken by reservations,
 * or a rule that holds for everyone excludes it): the hand-out leaves it out of its samples until then, so a request
 * in a campaign whose work is all reserved costs a few index reads instead of re-checking the same full targets
 * (migration `handout_full_marks`).
 */
export const taskWork = pgTable(
  "task_work",
  {
    kind: taskType().notNull(),
    /** A message; no foreign key, so writing a row never takes a key lock on the message or its tree. */
    targetId: uuid().notNull(),
    treeId: uuid().notNull(),
    lang: varchar({ length: 32 }).notNull(),
    /** Uniform in [0, 1): "a random open slot" is the first row at or after a random key. */
    sortKey: doublePrecision()
      .notNull()
      .default(sql`random()`),
    /**
     * Set by the hand-out when it found the target closed to a user with no history (so to everyone): until its first
     * reservation lapses, and never more than a short time ahead. Cleared when a task of the tree is skipped, deleted
     * or re-dated, and when a message of the tree changes, so freed capacity shows at once; null = open.
     */
    fullUntil: timestamptz(),
  },
  (t) => [
    primaryKey({ columns: [t.targetId, t.kind] }),
    index("task_work_sample_idx").on(t.kind, t.lang, t.sortKey),
    index("task_work_tree_idx").on(t.treeId),
  ],
);
