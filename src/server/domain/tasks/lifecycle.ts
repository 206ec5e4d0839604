import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { messages, tasks } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { addEmoji } from "@/server/domain/messages/emoji-counts";
import { applyAutoModeration } from "@/server/domain/moderation/auto-moderation";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { lockTreeState, type TreeStateRow } from "@/server/domain/trees/transitions";
import type { TaskActor } from "./request-task";
import { type TaskRow, toTaskDto } from "./task-dto";
import { isLabelTaskType, isRankTaskType, type TaskDto } from "./types";

/** The caller's task, locked for the rest of the transaction. Someone else's task is refused (fix §8.7). */
export async function lockOwnTask(tx: DbOrTx, taskId: string, actor: TaskActor): Promise<TaskRow> {
  const [task] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for("update");
  if (!task) throw new AppError("TASK_NOT_FOUND", "This task does not exist.");
  if (task.userId !== actor.userId) throw new AppError("TASK_NOT_ASSIGNED_TO_USER", "This task belongs to someone else.");
  return task;
}

/** A task with what it may change, locked: its tree's state row and its message rows (by id). */
export type LockedTask = { task: TaskRow; tree: TreeStateRow | null; messages: Map<string, typeof messages.$inferSelect> };

/**
 * Locks what answering or skipping a task may change, in the one lock order (README "Locking"): the tree state
 * row of the task's tree, then the message rows (the task's target and `moreMessageIds`, by id), then the task row,
 * which is read again under its lock. Every later lock of the same rows in the transaction (decisions, tree
 * transitions) is then a no-op, so answers in one tree queue on its state row instead of deadlocking on messages.
 * The locked rows are returned as read under their locks, so callers need not read them again.
 */
export async function lockTaskAndTargets(
  tx: DbOrTx,
  taskId: string,
  actor: TaskActor,
  moreMessageIds: (task: TaskRow) => readonly string[] = () => [],
): Promise<LockedTask> {
  const [peek] = await tx.select().from(tasks).where(eq(tasks.id, taskId));
  if (!peek) throw new AppError("TASK_NOT_FOUND", "This task does not exist.");
  if (peek.userId !== actor.userId) throw new AppError("TASK_NOT_ASSIGNED_TO_USER", "This task belongs to someone else.");
  let treeId = peek.messageTreeId;
  if (!treeId && peek.parentMessageId) {
    const [target] = await tx.select({ treeId: messages.messageTreeId }).from(messages).where(eq(messages.id, peek.parentMessageId));
    treeId = target?.treeId ?? null;
  }
  const tree = treeId ? await lockTreeState(tx, treeId) : null;
  const messageIds = [...new Set([...(peek.parentMessageId ? [peek.parentMessageId] : []), ...moreMessageIds(peek)])].sort();
  const locked = messageIds.length > 0
    ? await tx.select().from(messages).where(inArray(messages.id, messageIds)).orderBy(asc(messages.id)).for("update")
    : [];
  return { task: await lockOwnTask(tx, taskId, actor), tree, messages: new Map(locked.map((row) => [row.id, row])) };
}

/** A task can still be answered: not done, not skipped (fix §8.7), not expired. */
export function assertOpen(task: TaskRow): void {
  if (task.done) throw new AppError("TASK_ALREADY_DONE", "This task has already been completed.");
  if (task.skipped) throw new AppError("TASK_SKIPPED", "This task was skipped and can no longer be answered.");
  if (task.expiryDate && task.expiryDate.getTime() <= Date.now()) {
    throw new AppError("TASK_EXPIRED", "This task has expired. Please request a new one.");
  }
}

export function assertAnswerable(task: TaskRow): void {
  assertOpen(task);
  if (task.ack !== true) throw new AppError("TASK_NOT_ACK", "Acknowledge the task before submitting an answer.");
}

/**
 * Binds the client's message id to the task. Repeating the same acknowledgement is a no-op (spec §2.5). The usual
 * case (own, open, not yet acknowledged) is one guarded update; anything else is explained under the task's lock.
 */
export async function acknowledgeTask(db: Database, actor: TaskActor, taskId: string, frontendMessageId: string): Promise<TaskDto> {
  try {
    const [acked] = await db
      .update(tasks)
      .set({ ack: true, frontendMessageId })
      .where(and(eq(tasks.id, taskId), eq(tasks.userId, actor.userId), isNull(tasks.ack), eq(tasks.done, false), eq(tasks.skipped, false),
        sql`(${tasks.expiryDate} is null or ${tasks.expiryDate} > now())`))
      .returning();
    if (acked) return toTaskDto(acked);
    return await db.transaction(async (tx) => {
      const task = await lockOwnTask(tx, taskId, actor);
      if (task.ack === true && task.frontendMessageId === frontendMessageId) return toTaskDto(task);
      assertOpen(task);
      if (task.ack !== null) throw new AppError("TASK_ALREADY_UPDATED", "This task was already acknowledged with another message id.");
      const [updated] = await tx.update(tasks).set({ ack: true, frontendMessageId }).where(eq(tasks.id, taskId)).returning();
      return toTaskDto(updated!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("INVALID_FRONTEND_MESSAGE_ID", "This message id is already bound to another task.");
    }
    throw error;
  }
}

const SKIP_EMOJI = (task: TaskRow): string | null => {
  if (isLabelTaskType(task.type)) return "_skip_labeling";
  if (isRankTaskType(task.type)) return "_skip_ranking";
  return task.type === "initial_prompt" ? null : "_skip_reply";
};

/**
 * Skips a task with a reason (the original's nack). The skip marks the target for this user, so it is not offered
 * to them again, and feeds auto-moderation (a message skipped very often halts its tree). Skipping twice is a no-op.
 */
export async function skipTask(db: Database, actor: TaskActor, taskId: string, reason: string | null, deps: TreeDeps): Promise<void> {
  await db.transaction(async (tx) => {
    const { task } = await lockTaskAndTargets(tx, taskId, actor);
    if (task.skipped) return;
    if (task.done) throw new AppError("TASK_ALREADY_DONE", "This task has already been completed.");
    await tx.update(tasks).set({ skipped: true, skipReason: reason?.slice(0, 512) ?? null }).where(eq(tasks.id, taskId));
    // A skipped gold review (quality/gold.ts) leaves no mark on the message: gold tasks never change the tree.
    const emoji = task.gold ? null : SKIP_EMOJI(task);
    if (emoji && task.parentMessageId && (await addEmoji(tx, task.parentMessageId, actor.userId, emoji)) && emoji === "_skip_reply") {
      await applyAutoModeration(tx, task.parentMessageId, deps);
    }
  });
}
