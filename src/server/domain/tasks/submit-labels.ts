import { eq, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { messages, textLabels } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { reviewsNeeded, updateReviewsWanted } from "@/server/domain/quality/adaptive-reviews";
import { recordGoldAnswer } from "@/server/domain/quality/gold";
import { treeConfigForLanguage } from "@/server/domain/trees/config";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { decideReview } from "@/server/domain/trees/review";
import { assertAnswerable, finishTask, lockTaskAndTargets } from "./lifecycle";
import type { TaskActor } from "./request-task";
import { ZTaskPayload } from "./types";

export type LabelSubmission = { taskId: string; labels: Record<string, number>; text?: string; messageId?: string };

/**
 * Answers a review task (spec §2.4 "Validation on submit"): only the task's labels, every mandatory one, values in
 * [0, 1], never one's own message, one review per reviewer, and never beyond the review target even when reviewers
 * race (the message row is locked and its count checked; fix §8.2). Nothing is written when a check fails.
 */
export async function submitLabels(db: Database, actor: TaskActor, submission: LabelSubmission, deps: TreeDeps): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      const locked = await lockTaskAndTargets(tx, submission.taskId, actor);
      const { task } = locked;
      assertAnswerable(task);
      const payload = ZTaskPayload.parse(task.payload);
      if (payload.type !== "label_initial_prompt" && payload.type !== "label_prompter_reply" && payload.type !== "label_assistant_reply") {
        throw new AppError("TASK_PAYLOAD_TYPE_MISMATCH", "This task does not take labels.");
      }
      if (submission.messageId && submission.messageId !== payload.messageId) {
        throw new AppError("TEXT_LABELS_WRONG_MESSAGE_ID", "These labels are for another message than the task's.");
      }
      const invalid = Object.keys(submission.labels).filter((name) => !payload.validLabels.includes(name));
      if (invalid.length > 0) throw new AppError("TEXT_LABELS_INVALID_LABEL", `Not labels of this task: ${invalid.join(", ")}.`);
      const missing = payload.mandatoryLabels.filter((name) => submission.labels[name] === undefined);
      if (missing.length > 0) throw new AppError("TEXT_LABELS_MANDATORY_LABEL_MISSING", `Please answer: ${missing.join(", ")}.`);
      const outOfRange = Object.entries(submission.labels).filter(([, value]) => !(value >= 0 && value <= 1));
      if (outOfRange.length > 0) throw new AppError("INVALID_INPUT", `Label values must be between 0 and 1 (${outOfRange.map(([name]) => name).join(", ")}).`);

      // The task's target, locked (and read) with the task; a payload naming another message is read under its lock.
      const message = locked.messages.get(payload.messageId)
        ?? (await tx.select().from(messages).where(eq(messages.id, payload.messageId)).for("update"))[0];
      if (!message || message.deleted) throw new AppError("MESSAGE_NOT_FOUND", "The message to review has been deleted.");
      if (message.userId === actor.userId) throw new AppError("TEXT_LABELS_NO_SELF_LABELING", "You cannot review your own message.");
      if (task.gold) {
        // A gold item: scored against the expected labels; the message, its reviews and its tree stay as they are.
        const score = await recordGoldAnswer(tx, { userId: actor.userId, messageId: message.id, labels: submission.labels });
        await finishTask(tx, task.id, { userId: actor.userId, apiClientId: actor.apiClientId, messageId: message.id, eventType: "gold_answer",
          payload: { taskId: task.id, taskType: task.type, ...score } });
        return;
      }
      const settings = treeConfigForLanguage(deps.config, message.lang);
      if (message.reviewCount >= reviewsNeeded(message, settings)) throw new AppError("TASK_TARGET_FULL", "This message already has all the reviews it needs.");

      const [reviewed] = await tx
        .update(messages)
        .set({ reviewCount: sql`${messages.reviewCount} + 1` })
        .where(eq(messages.id, message.id))
        .returning();
      const label = tx.insert(textLabels).values({
        id: task.id, userId: actor.userId, apiClientId: actor.apiClientId, messageId: message.id,
        labels: submission.labels, text: submission.text?.slice(0, 65536) ?? "", taskId: task.id,
      });
      await finishTask(tx, task.id, { userId: actor.userId, apiClientId: actor.apiClientId, messageId: message.id, eventType: "text_labels",
        payload: { taskId: task.id, taskType: task.type, mode: payload.mode } }, [label]);
      await decideReview(tx, await updateReviewsWanted(tx, reviewed!, settings), deps, locked.tree);
    });
  } catch (error) {
    if (isUniqueViolation(error, "text_labels_one_review_per_user_uq")) {
      throw new AppError("TEXT_LABELS_DUPLICATE_TASK_REPLY", "You have already reviewed this message.");
    }
    throw error;
  }
}
