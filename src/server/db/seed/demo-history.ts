import { eq } from "drizzle-orm";
import type { Database, DbOrTx } from "@/server/db/client";
import { messageReactions, messages, messageTreeStates, tasks, textLabels } from "@/server/db/schema";
import { labelPayload, rankPayload } from "@/server/domain/tasks/build-task";
import { TASK_VALIDITY_MINUTES, ZTaskPayload, type LabelTaskType } from "@/server/domain/tasks/types";
import { type TreeManagerConfig, treeConfigForLanguage } from "@/server/domain/trees/config";
import type { DemoCampaignPlan, DemoReview } from "./demo-campaign";

/** What an attentive reviewer answers for a fine message (acceptance well above the thresholds). */
function reviewLabels(validLabels: string[], spam: boolean): Record<string, number> {
  const fine: Record<string, number> = { quality: 0.75, helpfulness: 0.75, creativity: 0.5, humor: 0.25 };
  return Object.fromEntries(validLabels.map((name) => [name, name === "spam" ? (spam ? 1 : 0) : spam ? 0 : (fine[name] ?? 0)]));
}

const labelTaskType = (role: "prompter" | "assistant", isRoot: boolean): LabelTaskType =>
  isRoot ? "label_initial_prompt" : role === "assistant" ? "label_assistant_reply" : "label_prompter_reply";

const expiry = (at: Date) => new Date(at.getTime() + TASK_VALIDITY_MINUTES * 60_000);

/**
 * Every write of the demo seed that does not go through the importer, in one transaction: the tree manager's sizes
 * on the trees it grows (imported trees carry none), and the reviews and rankings of the demo story as the task
 * paths record them — a done task with the payload the hand-out builds (`build-task.ts`), its `text_labels` or
 * `message_reactions` row with the task's id, dated in the past. The counts they stand for (`review_count`,
 * `review_result`) were imported with the messages, so every tree invariant holds. Open work kept elsewhere (such
 * as hand-out rows) must be rebuilt from these rows after this function, in the same transaction.
 */
export async function writeDemoCampaignState(db: Database, plan: DemoCampaignPlan, config: TreeManagerConfig): Promise<void> {
  await db.transaction(async (tx) => {
    for (const treeId of plan.managedTreeIds) {
      const [tree] = await tx.select({ lang: messageTreeStates.lang }).from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, treeId));
      const settings = treeConfigForLanguage(config, tree?.lang ?? "en");
      await tx
        .update(messageTreeStates)
        .set({ goalTreeSize: settings.goalTreeSize, maxDepth: settings.maxTreeDepth, maxChildrenCount: settings.maxChildrenCount })
        .where(eq(messageTreeStates.messageTreeId, treeId));
    }
    for (const review of plan.reviews) await writeReview(tx, review, config);
    for (const ranking of plan.rankings) {
      const settings = treeConfigForLanguage(config, "en");
      const id = crypto.randomUUID();
      const payload = ZTaskPayload.parse(
        await rankPayload({ tx, userId: ranking.rankerId, lang: "en", settings, random: () => 0 }, "rank_assistant_replies", ranking.parentId, ranking.messageTreeId),
      );
      await tx.insert(tasks).values({ id, createdDate: ranking.at, expiryDate: expiry(ranking.at), userId: ranking.rankerId, type: payload.type,
        payload, ack: true, done: true, messageTreeId: ranking.messageTreeId, parentMessageId: ranking.parentId });
      await tx.insert(messageReactions).values({ taskId: id, userId: ranking.rankerId, createdDate: ranking.at, messageId: ranking.parentId,
        payload: { type: "message_ranking", rankedMessageIds: ranking.rankedIds, rankingParentId: ranking.parentId,
          messageTreeId: ranking.messageTreeId, notRankable: false } });
    }
  });
}

async function writeReview(tx: DbOrTx, review: DemoReview, config: TreeManagerConfig): Promise<void> {
  const [message] = await tx
    .select({ role: messages.role, parentId: messages.parentId, lang: messages.lang })
    .from(messages)
    .where(eq(messages.id, review.messageId));
  if (!message) throw new Error(`demo review of a message that was not imported: ${review.messageId}`);
  const settings = treeConfigForLanguage(config, message.lang);
  const type = labelTaskType(message.role, message.parentId === null);
  const payload = ZTaskPayload.parse(
    await labelPayload({ tx, userId: review.reviewerId, lang: message.lang, settings, random: () => 0 }, type, review.messageId, "full"),
  );
  const validLabels = "validLabels" in payload ? payload.validLabels : ["spam"];
  const id = crypto.randomUUID();
  await tx.insert(tasks).values({ id, createdDate: review.at, expiryDate: expiry(review.at), userId: review.reviewerId, type, payload,
    ack: true, done: true, messageTreeId: review.messageTreeId, parentMessageId: review.messageId });
  await tx.insert(textLabels).values({ id, userId: review.reviewerId, createdDate: review.at, messageId: review.messageId,
    labels: reviewLabels(validLabels, review.spam), taskId: id });
}

/** The demo users' streaks: contributions on each of the last `days` days, the last one an hour ago. */
export const streakColumns = (days: number, now: Date) => ({
  streakDays: days,
  streakLastDayDate: new Date(now.getTime() - days * 86_400_000 - 3_600_000),
  lastActivityDate: new Date(now.getTime() - 3_600_000),
});

