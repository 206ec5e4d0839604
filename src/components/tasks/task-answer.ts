import type { TaskDto } from "@/server/domain/tasks/types";
import type { LabelValues } from "./label-inputs";

/** What the contributor has entered so far, by kind of task. */
export type TaskAnswer =
  | { kind: "text"; text: string }
  | { kind: "labels"; values: LabelValues }
  | { kind: "ranking"; order: string[]; notRankable: boolean };

export function initialAnswer(task: TaskDto): TaskAnswer {
  const payload = task.payload;
  if (payload.type === "rank_assistant_replies" || payload.type === "rank_prompter_replies") {
    return { kind: "ranking", order: payload.replies.map((reply) => reply.id), notRankable: false };
  }
  if (payload.type.startsWith("label_")) return { kind: "labels", values: {} };
  return { kind: "text", text: "" };
}

/** Whether the answer can go to the review step (the server checks again). */
export function isAnswerComplete(task: TaskDto, answer: TaskAnswer, sizeLimit: number): boolean {
  if (answer.kind === "text") return answer.text.trim().length > 0 && answer.text.trim().length <= sizeLimit;
  if (answer.kind === "labels" && "mandatoryLabels" in task.payload) {
    return task.payload.mandatoryLabels.every((name) => answer.values[name] !== undefined);
  }
  return true;
}

/** The answer equals what was offered (a ranking left in the shown order, or no optional label touched). */
export function isAnswerUnchanged(task: TaskDto, answer: TaskAnswer): boolean {
  if (answer.kind === "ranking" && "replies" in task.payload) {
    const offered = task.payload.replies.map((reply) => reply.id);
    return !answer.notRankable && answer.order.every((id, index) => offered[index] === id);
  }
  if (answer.kind === "labels" && "mandatoryLabels" in task.payload) {
    const mandatory = task.payload.mandatoryLabels;
    return Object.entries(answer.values).every(([name, value]) => value === undefined || mandatory.includes(name) || value === 0);
  }
  return false;
}
