import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { messageReactions, messages } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { updateRankingsWanted } from "@/server/domain/quality/adaptive-reviews";
import { treeConfigForLanguage } from "@/server/domain/trees/config";
import { checkScoringCondition } from "@/server/domain/trees/conditions";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { assertAnswerable, finishTask, lockTaskAndTargets } from "./lifecycle";
import type { TaskActor } from "./request-task";
import { ZTaskPayload } from "./types";

export type RankingSubmission = {
  taskId: string;
  /** The offered replies, best first. */
  rankedMessageIds: string[];
  /** The contributor found the replies impossible to order meaningfully (all equally bad, say). */
  notRankable?: boolean;
};

function assertPermutation(ranked: readonly string[], offered: readonly string[]) {
  const offeredSet = new Set(offered);
  const rankedSet = new Set(ranked);
  if (ranked.length !== offered.length || rankedSet.size !== ranked.length || ranked.some((id) => !offeredSet.has(id))) {
    throw new AppError("INVALID_RANKING_VALUE", "The ranking must list every offered reply exactly once.");
  }
}

/** Answers a rank task (spec §2.3 message_ranking) and scores the tree when it has all its rankings (§3.7). */
export async function submitRanking(db: Database, actor: TaskActor, submission: RankingSubmission, deps: TreeDeps): Promise<void> {
  await db.transaction(async (tx) => {
    // The offered replies' counts change too: they are locked with the parent, by id.
    const locked = await lockTaskAndTargets(tx, submission.taskId, actor, { offeredReplies: true });
    const { task } = locked;
    assertAnswerable(task);
    const payload = ZTaskPayload.parse(task.payload);
    if (payload.type !== "rank_assistant_replies" && payload.type !== "rank_prompter_replies") {
      throw new AppError("TASK_PAYLOAD_TYPE_MISMATCH", "This task does not take a ranking.");
    }
    assertPermutation(submission.rankedMessageIds, payload.replies.map((reply) => reply.id));
    // The ranking parent is the task's target, locked with it; a payload naming another one is locked here.
    if (!locked.messages.has(payload.rankingParentId)) {
      await tx.select({ id: messages.id }).from(messages).where(eq(messages.id, payload.rankingParentId)).for("update");
    }
    const reaction = tx.insert(messageReactions).values({
      taskId: task.id, userId: actor.userId, apiClientId: actor.apiClientId, messageId: payload.rankingParentId,
      payload: {
        type: "message_ranking", rankedMessageIds: submission.rankedMessageIds, rankingParentId: payload.rankingParentId,
        messageTreeId: payload.messageTreeId, notRankable: submission.notRankable ?? false,
      },
    });
    const counts = tx.update(messages).set({ rankingCount: sql`${messages.rankingCount} + 1` }).where(inArray(messages.id, submission.rankedMessageIds));
    await finishTask(tx, task.id, { userId: actor.userId, apiClientId: actor.apiClientId, messageId: payload.rankingParentId, eventType: "message_ranking",
      payload: { taskId: task.id, taskType: task.type, ranking: submission.rankedMessageIds, notRankable: submission.notRankable ?? false } },
    [reaction, counts]);
    await updateRankingsWanted(tx, payload.rankingParentId, treeConfigForLanguage(deps.config, locked.tree?.lang ?? payload.lang));
    await checkScoringCondition(tx, payload.messageTreeId, deps, locked.tree);
  });
}
