import type { tasks } from "@/server/db/schema";
import { type TaskDto, ZTaskPayload } from "./types";

export type TaskRow = typeof tasks.$inferSelect;

export function toTaskDto(task: TaskRow): TaskDto {
  return {
    id: task.id,
    type: task.type,
    createdAt: task.createdDate,
    expiresAt: task.expiryDate,
    acked: task.ack === true,
    payload: ZTaskPayload.parse(task.payload),
  };
}
