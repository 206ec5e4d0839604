import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { messages, messageTreeStates, tasks, type TaskType, type TreeState } from "@/server/db/schema";
import type { TaskActor } from "./request-task";
import { type TaskRow, toTaskDto } from "./task-dto";
import type { TaskDto, TaskRequestType } from "./types";

/** The tree state in which a task of each type can still be answered. */
const ANSWERABLE_IN: Partial<Record<TaskType, TreeState>> = {
  prompter_reply: "growing",
  assistant_reply: "growing",
  label_prompter_reply: "growing",
  label_assistant_reply: "growing",
  label_initial_prompt: "initial_prompt_review",
  rank_assistant_replies: "ranking",
  rank_prompter_replies: "ranking",
};

async function isStillAnswerable(db: Database, task: TaskRow): Promise<boolean> {
  if (!task.parentMessageId) return true;
  const [target] = await db
    .select({ deleted: messages.deleted, state: messageTreeStates.state, active: messageTreeStates.active })
    .from(messages)
    .innerJoin(messageTreeStates, eq(messageTreeStates.messageTreeId, messages.messageTreeId))
    .where(eq(messages.id, task.parentMessageId));
  return !!target && !target.deleted && target.active && target.state === ANSWERABLE_IN[task.type];
}

/**
 * The contributor's newest open task of the requested type (any type for `random`), so that reopening a task
 * page or reloading it resumes the work instead of losing it (OA issues #1138, #3325). A task whose tree moved on
 * meanwhile is skipped as stale rather than shown.
 */
export async function resumeOpenTask(db: Database, actor: TaskActor, type: TaskRequestType): Promise<TaskDto | null> {
  const open = await db
    .select()
    .from(tasks)
    .where(and(
      eq(tasks.userId, actor.userId), eq(tasks.done, false), eq(tasks.skipped, false), gt(tasks.expiryDate, sql`now()`),
      type === "random" ? undefined : eq(tasks.type, type),
    ))
    .orderBy(desc(tasks.createdDate))
    .limit(5);
  for (const task of open) {
    if (await isStillAnswerable(db, task)) return toTaskDto(task);
    await db.update(tasks).set({ skipped: true, skipReason: "stale: the conversation moved on" }).where(eq(tasks.id, task.id));
  }
  return null;
}
