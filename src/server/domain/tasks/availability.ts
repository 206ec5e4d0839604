import type { Database } from "@/server/db/client";
import { treeConfigForLanguage } from "@/server/domain/trees/config";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { countMissingPrompts } from "@/server/domain/trees/lottery";
import {
  type CandidateQuery, findExtendibleParents, findIncompleteRankings, findPromptsNeedingReview, findRepliesNeedingReview,
} from "./candidates";
import { TASK_REQUEST_TYPES, type TaskRequestType } from "./types";

/** Enough to show "plenty of work"; counting further would only cost time. */
const COUNT_CAP = 1000;

/**
 * How many tasks of each type this user could be given now (spec §3.8), computed by the same queries that hand
 * tasks out, so a type is shown as available exactly when a request for it would succeed (fix §8.4).
 * Read-only: unlike the original, it runs neither the lottery nor auto-moderation (fix §8.1).
 */
export async function taskAvailability(db: Database, userId: string, lang: string, deps: TreeDeps): Promise<Record<TaskRequestType, number>> {
  const settings = treeConfigForLanguage(deps.config, lang);
  const q: CandidateQuery = { userId, lang, settings, limit: COUNT_CAP };
  const [prompts, replyReviews, parents, rankings, missingPrompts] = await Promise.all([
    findPromptsNeedingReview(db, q),
    findRepliesNeedingReview(db, q),
    findExtendibleParents(db, q),
    findIncompleteRankings(db, q),
    countMissingPrompts(db, lang, deps),
  ]);
  const counts = Object.fromEntries(TASK_REQUEST_TYPES.map((type) => [type, 0])) as Record<TaskRequestType, number>;
  counts.initial_prompt = missingPrompts;
  counts.prompter_reply = parents.filter((p) => p.role === "assistant").length;
  counts.assistant_reply = parents.filter((p) => p.role === "prompter").length;
  counts.label_initial_prompt = prompts.length;
  counts.label_prompter_reply = replyReviews.filter((m) => m.role === "prompter").length;
  counts.label_assistant_reply = replyReviews.filter((m) => m.role === "assistant").length;
  counts.rank_assistant_replies = rankings.filter((r) => r.parent_role === "prompter").length;
  counts.rank_prompter_replies = settings.rankPrompterReplies ? rankings.filter((r) => r.parent_role === "assistant").length : 0;
  counts.random = TASK_REQUEST_TYPES.filter((type) => type !== "random").reduce((sum, type) => sum + counts[type], 0);
  return counts;
}
