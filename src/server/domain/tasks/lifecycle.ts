import { and, eq, getTableColumns, isNull, sql, type SQLWrapper, type Table } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import { builtOnce } from "@/server/db/built-once";
import type { Database, DbOrTx } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { messages, messageTreeStates, tasks } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { type JournalEvent, journalInsert } from "@/server/domain/journal";
import { addEmoji } from "@/server/domain/messages/emoji-counts";
import { applyAutoModeration } from "@/server/domain/moderation/auto-moderation";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { contributionUpdate } from "@/server/domain/users/activity";
import type { TreeStateRow } from "@/server/domain/trees/transitions";
import type { TaskActor } from "./request-task";
import type { TaskRow } from "./task-dto";
import { isLabelTaskType, isRankTaskType, type TaskAck } from "./types";

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
 * A row as `to_jsonb` gives it, in drizzle's shape: keys by the table's columns, timestamps as Dates (every other
 * column type of these tables reads the same from JSON).
 */
function rowFromJson<T extends Table>(table: T, json: Record<string, unknown>): T["$inferSelect"] {
  const row: Record<string, unknown> = {};
  for (const { key, jsonKey, isTimestamp } of jsonColumnsOf(table)) {
    const value = json[jsonKey] ?? null;
    row[key] = value !== null && isTimestamp ? new Date(value as string) : value;
  }
  return row as T["$inferSelect"];
}

type JsonColumn = { key: string; jsonKey: string; isTimestamp: boolean };
const jsonColumns = new WeakMap<Table, JsonColumn[]>();

/** A table's columns as `to_jsonb` names them, worked out once per table (a submit reads three tables' rows). */
function jsonColumnsOf(table: Table): JsonColumn[] {
  let columns = jsonColumns.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table)).map(([key, column]) => ({
      key,
      // Columns named by their key are snake_cased by the client (`casing: "snake_case"`).
      jsonKey: column.keyAsName ? toSnakeCase(key) : column.name,
      isTimestamp: column.columnType === "PgTimestamp",
    }));
    jsonColumns.set(table, columns);
  }
  return columns;
}

/**
 * Locks what answering or skipping a task may change, in the one lock order (README "Locking"), in one statement
 * (SQL `oa_lock_task`): the tree state row of the task's tree, then the message rows (the task's target and, with
 * `offeredReplies`, the replies its payload offers, by id), then the task row. Every later lock of the same rows in
 * the transaction (decisions, tree transitions) is then a no-op, so answers in one tree queue on its state row
 * instead of deadlocking on messages. The locked rows are returned as read under their locks, so callers need not
 * read them again. Someone else's task is refused before anything is locked (fix §8.7).
 */
export async function lockTaskAndTargets(
  tx: DbOrTx,
  taskId: string,
  actor: TaskActor,
  options: { offeredReplies?: boolean } = {},
): Promise<LockedTask> {
  const [row] = await tx.execute<{ locked: { status: "ok" | "not_found" | "not_owner"; task?: Record<string, unknown>;
    tree?: Record<string, unknown> | null; messages?: Record<string, unknown>[] } }>(
    sql`select oa_lock_task(${taskId}::uuid, ${actor.userId}::uuid, ${options.offeredReplies ?? false}) as locked`);
  const locked = row!.locked;
  if (locked.status === "not_found") throw new AppError("TASK_NOT_FOUND", "This task does not exist.");
  if (locked.status === "not_owner") throw new AppError("TASK_NOT_ASSIGNED_TO_USER", "This task belongs to someone else.");
  const rows = (locked.messages ?? []).map((json) => rowFromJson(messages, json));
  return {
    task: rowFromJson(tasks, locked.task!),
    tree: locked.tree ? rowFromJson(messageTreeStates, locked.tree) : null,
    messages: new Map(rows.map((message) => [message.id, message])),
  };
}

/**
 * Closes an answered task in one statement: the answer's own writes (`writes`, e.g. the label or ranking row), the
 * task marked done, the journal entry and the author's activity and streak, as data-modifying CTEs of one statement
 * (one round trip instead of one per write). The rows they touch are already locked by `lockTaskAndTargets`.
 */
export async function finishTask(tx: DbOrTx, taskId: string, event: JournalEvent, writes: readonly SQLWrapper[] = []): Promise<void> {
  const parts = [...writes, tx.update(tasks).set({ done: true }).where(eq(tasks.id, taskId)), journalInsert(tx, event),
    contributionUpdate(tx, event.userId)];
  await tx.execute(sql`with ${sql.join(parts.map((part, i) => sql`${sql.raw(`w${i}`)} as (${part.getSQL()})`), sql`, `)} select 1`);
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
export async function acknowledgeTask(db: Database, actor: TaskActor, taskId: string, frontendMessageId: string): Promise<TaskAck> {
  try {
    const [acked] = await builtOnce(db, "ack_open_task", (handle, name) => handle
      .update(tasks)
      .set({ ack: true, frontendMessageId: sql`${sql.placeholder("frontendMessageId")}` })
      .where(and(eq(tasks.id, sql.placeholder("taskId")), eq(tasks.userId, sql.placeholder("userId")), isNull(tasks.ack), eq(tasks.done, false),
        eq(tasks.skipped, false), sql`(${tasks.expiryDate} is null or ${tasks.expiryDate} > now())`))
      .returning({ id: tasks.id, type: tasks.type, expiryDate: tasks.expiryDate })
      .prepare(name))
      .execute({ taskId, userId: actor.userId, frontendMessageId });
    if (acked) return toTaskAck(acked, frontendMessageId);
    return await db.transaction(async (tx) => {
      const task = await lockOwnTask(tx, taskId, actor);
      if (task.ack === true && task.frontendMessageId === frontendMessageId) return toTaskAck(task, frontendMessageId);
      assertOpen(task);
      if (task.ack !== null) throw new AppError("TASK_ALREADY_UPDATED", "This task was already acknowledged with another message id.");
      await tx.update(tasks).set({ ack: true, frontendMessageId }).where(eq(tasks.id, taskId));
      return toTaskAck(task, frontendMessageId);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("INVALID_FRONTEND_MESSAGE_ID", "This message id is already bound to another task.");
    }
    throw error;
  }
}

const toTaskAck = (task: Pick<TaskRow, "id" | "type" | "expiryDate">, frontendMessageId: string): TaskAck =>
  ({ id: task.id, type: task.type, acked: true, frontendMessageId, expiresAt: task.expiryDate });

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
