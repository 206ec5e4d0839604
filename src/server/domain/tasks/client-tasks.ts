import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages, tasks } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { type TaskRow, toTaskDto } from "./task-dto";
import type { TaskDto } from "./types";

/**
 * Lookups of the original REST protocol, where an API client names its tasks by the message id it bound at
 * acknowledgement and acknowledges without saying for which user. Both are scoped to the client: another client's
 * task is "not found" (2100), never touched.
 */

export type ClientTask = { task: TaskDto; userId: string };

function toClientTask(row: TaskRow | undefined): ClientTask {
  if (!row || !row.userId) throw new AppError("TASK_NOT_FOUND", "This task does not exist.");
  return { task: toTaskDto(row), userId: row.userId };
}

/** A task of this client by id (for ack and nack, whose bodies name no user). */
export async function findClientTask(db: DbOrTx, apiClientId: string, taskId: string): Promise<ClientTask> {
  const [row] = await db.select().from(tasks).where(and(eq(tasks.id, taskId), eq(tasks.apiClientId, apiClientId))).limit(1);
  return toClientTask(row);
}

/** A task of this client by the frontend message id it was acknowledged with (spec backend §2.5). */
export async function findClientTaskByFrontendMessageId(db: DbOrTx, apiClientId: string, frontendMessageId: string): Promise<ClientTask> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.apiClientId, apiClientId), eq(tasks.frontendMessageId, frontendMessageId)))
    .limit(1);
  if (!row) throw new AppError("TASK_NOT_FOUND", `No acknowledged task has the message id ${frontendMessageId}.`);
  return toClientTask(row);
}

/** Authors and frontend ids of messages, for the original's ConversationMessage (`user_id`, `frontend_message_id`). */
export async function messageOrigins(db: DbOrTx, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { userId: string | null; apiClientId: string | null; frontendMessageId: string }>();
  const rows = await db
    .select({ id: messages.id, userId: messages.userId, apiClientId: messages.apiClientId, frontendMessageId: messages.frontendMessageId })
    .from(messages)
    .where(inArray(messages.id, [...new Set(ids)]));
  return new Map(rows.map((row) => [row.id, row]));
}
