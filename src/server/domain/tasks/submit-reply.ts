import { and, eq, gt, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { messages, messageTreeStates } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { reviewsNeededSql } from "@/server/domain/quality/adaptive-reviews";
import { replyCapacity } from "@/server/domain/trees/capacity";
import { treeConfigForLanguage } from "@/server/domain/trees/config";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { lockTreeState } from "@/server/domain/trees/transitions";
import { assertAnswerable, finishTask, type LockedTask, lockTaskAndTargets } from "./lifecycle";
import type { TaskActor } from "./request-task";
import type { TaskRow } from "./task-dto";
import { DUPLICATE_MESSAGE_WINDOW_MINUTES, MESSAGE_SIZE_LIMIT, ZTaskPayload } from "./types";

export type ReplySubmission = { taskId: string; text: string; frontendMessageId?: string };

function validateText(raw: string): string {
  const text = raw.trim();
  if (text.length === 0) throw new AppError("TASK_MESSAGE_TEXT_EMPTY", "The message is empty.");
  if (text.length > MESSAGE_SIZE_LIMIT) {
    throw new AppError("TASK_MESSAGE_TOO_LONG", `The message is ${text.length} characters long; the limit is ${MESSAGE_SIZE_LIMIT}.`);
  }
  return text;
}

/** The same text by the same user, live, within the window: as an SQL condition, to read with other figures. */
const recentDuplicate = (userId: string, text: string) => sql`exists (select 1 from ${messages}
  where ${and(eq(messages.userId, userId), eq(messages.text, text), eq(messages.deleted, false),
    gt(messages.createdDate, sql`now() - make_interval(mins => ${DUPLICATE_MESSAGE_WINDOW_MINUTES})`))})`;

function assertNotDuplicate(duplicate: boolean | undefined) {
  if (duplicate) throw new AppError("TASK_MESSAGE_DUPLICATED", "You posted this exact text recently. Please write something new.");
}

/** Goal size of a new tree: fixed, or drawn from [min, goal] when configured (spec §3.1). */
function goalSizeFor(settings: ReturnType<typeof treeConfigForLanguage>, random: () => number) {
  if (!settings.randomGoalTreeSize) return settings.goalTreeSize;
  return settings.minGoalTreeSize + Math.floor(random() * (settings.goalTreeSize - settings.minGoalTreeSize + 1));
}

async function insertPrompt(tx: DbOrTx, task: TaskRow, actor: TaskActor, text: string, lang: string, deps: TreeDeps, frontendMessageId?: string) {
  const [check] = await tx.execute<{ duplicate: boolean }>(sql`select ${recentDuplicate(actor.userId, text)} as duplicate`);
  assertNotDuplicate(check?.duplicate);
  const id = crypto.randomUUID();
  const settings = treeConfigForLanguage(deps.config, lang);
  await tx.insert(messages).values({
    id, messageTreeId: id, taskId: task.id, userId: actor.userId, apiClientId: actor.apiClientId, role: "prompter",
    frontendMessageId: frontendMessageId ?? task.frontendMessageId ?? id, text, lang, depth: 0,
  });
  // The tree's state row is written with the task's closing statement (`finishTask`).
  const tree = tx.insert(messageTreeStates).values({
    messageTreeId: id, goalTreeSize: goalSizeFor(settings, deps.random), maxDepth: settings.maxTreeDepth,
    maxChildrenCount: settings.maxChildrenCount, state: "initial_prompt_review", active: true, lang,
  });
  return { id, writes: [tree] };
}

async function insertReply(
  tx: DbOrTx, locked: LockedTask, actor: TaskActor, text: string, lang: string, deps: TreeDeps, frontendMessageId?: string,
) {
  const { task } = locked;
  // The parent and its tree were locked (and read) with the task.
  const parentId = task.parentMessageId!;
  const parent = locked.messages.get(parentId);
  const tree = !parent ? null : locked.tree?.messageTreeId === parent.messageTreeId ? locked.tree : await lockTreeState(tx, parent.messageTreeId);
  // One statement for the duplicate text and the parent's children; the checks keep their order.
  const settings = treeConfigForLanguage(deps.config, tree?.lang ?? lang);
  const [counts] = await tx.execute<{ duplicate: boolean; counted: number; mine: number }>(sql`select
    ${recentDuplicate(actor.userId, text)} as duplicate,
    count(*) filter (where c.review_result is true or c.review_count < ${reviewsNeededSql(sql`c`, settings)})::int as counted,
    count(*) filter (where c.user_id = ${actor.userId})::int as mine
    from messages c where c.parent_id = ${parentId} and not c.deleted`);
  assertNotDuplicate(counts?.duplicate);
  if (!parent || parent.deleted) throw new AppError("MESSAGE_NOT_FOUND", "The message you were replying to has been deleted.");
  // Replies are only reviewed while a tree grows, so later ones would never count (fix §8.8).
  if (!tree || !tree.active || tree.state !== "growing") {
    throw new AppError("TREE_IN_ABORTED_STATE", "This conversation is no longer collecting replies.");
  }
  if ((counts?.mine ?? 0) > 0) throw new AppError("TASK_MESSAGE_DUPLICATE_REPLY", "You have already replied to this message.");
  const capacity = replyCapacity(parent.role, tree.maxChildrenCount, settings);
  if ((counts?.counted ?? 0) >= capacity) throw new AppError("TASK_TARGET_FULL", "This message already has enough replies.");

  const id = crypto.randomUUID();
  await tx.insert(messages).values({
    id, parentId: parent.id, messageTreeId: parent.messageTreeId, taskId: task.id, userId: actor.userId,
    apiClientId: actor.apiClientId, role: task.type === "assistant_reply" ? "assistant" : "prompter",
    frontendMessageId: frontendMessageId ?? task.frontendMessageId ?? id, text,
    // The tree's language, not the client's, so trees never mix languages (fix §8.7).
    lang: tree.lang, depth: parent.depth + 1,
  });
  // The parent's count is updated with the task's closing statement (`finishTask`).
  return { id, writes: [tx.update(messages).set({ childrenCount: sql`${messages.childrenCount} + 1` }).where(eq(messages.id, parent.id))] };
}

/** Answers a prompt or reply task with text (spec §2.6), creating the tree for an initial prompt. */
export async function submitReply(db: Database, actor: TaskActor, submission: ReplySubmission, deps: TreeDeps): Promise<{ messageId: string }> {
  const text = validateText(submission.text);
  try {
    return await db.transaction(async (tx) => {
      const locked = await lockTaskAndTargets(tx, submission.taskId, actor);
      const { task } = locked;
      assertAnswerable(task);
      const payload = ZTaskPayload.parse(task.payload);
      if (payload.type !== "initial_prompt" && payload.type !== "prompter_reply" && payload.type !== "assistant_reply") {
        throw new AppError("TASK_PAYLOAD_TYPE_MISMATCH", "This task does not take a text reply.");
      }
      const { id: messageId, writes } = payload.type === "initial_prompt"
        ? await insertPrompt(tx, task, actor, text, payload.lang, deps, submission.frontendMessageId)
        : await insertReply(tx, locked, actor, text, payload.lang, deps, submission.frontendMessageId);
      await finishTask(tx, task.id, { userId: actor.userId, apiClientId: actor.apiClientId, messageId, eventType: "text_reply_to_message",
        payload: { taskId: task.id, taskType: task.type, role: payload.type === "assistant_reply" ? "assistant" : "prompter", length: text.length } }, writes);
      return { messageId };
    });
  } catch (error) {
    if (isUniqueViolation(error, "messages_one_reply_per_user_uq")) {
      throw new AppError("TASK_MESSAGE_DUPLICATE_REPLY", "You have already replied to this message.");
    }
    if (isUniqueViolation(error)) throw new AppError("INVALID_FRONTEND_MESSAGE_ID", "This message id was already used.");
    throw error;
  }
}
