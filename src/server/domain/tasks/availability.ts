import type { Database, DbOrTx } from "@/server/db/client";
import type { TaskType } from "@/server/db/schema";
import { type TreeManagerSettings, treeConfigForLanguage } from "@/server/domain/trees/config";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { countMissingPrompts } from "@/server/domain/trees/lottery";
import {
  type CandidateQuery, countWork, findExtendibleParents, findIncompleteRankings, findPromptsNeedingReview,
  findRepliesNeedingReview, sampleWork,
} from "./candidates";
import { TASK_REQUEST_TYPES, type TaskRequestType } from "./types";

/** Enough to show "plenty of work"; counting further would only cost time. */
const COUNT_CAP = 1000;

type Check = (tx: DbOrTx, q: CandidateQuery) => Promise<{ role?: string; parent_role?: string }[]>;

/** The rule query of each type and the role its targets have (a reply task's parent, a rank task's parent). */
const CHECKS: Record<Exclude<TaskType, "initial_prompt" | "rank_initial_prompts" | "summarize_story" | "rate_summary">, [Check, string]> = {
  prompter_reply: [findExtendibleParents, "assistant"],
  assistant_reply: [findExtendibleParents, "prompter"],
  label_initial_prompt: [findPromptsNeedingReview, "prompter"],
  label_prompter_reply: [findRepliesNeedingReview, "prompter"],
  label_assistant_reply: [findRepliesNeedingReview, "assistant"],
  rank_assistant_replies: [findIncompleteRankings, "prompter"],
  rank_prompter_replies: [findIncompleteRankings, "assistant"],
};

/**
 * How many targets of `type` this user could be given: exact while the type's open targets fit in one sample (they
 * are all checked with the hand-out's rules); beyond that, the open targets (counted up to COUNT_CAP along the
 * index) scaled by the share of the sample this user may take. The cost is bounded either way.
 */
async function countFor(db: Database, type: keyof typeof CHECKS, userId: string, lang: string, settings: TreeManagerSettings, random: () => number) {
  const [check, role] = CHECKS[type];
  const sample = await sampleWork(db, type, lang, random);
  if (sample.ids.length === 0) return 0;
  const eligible = (await check(db, { userId, lang, settings, ids: sample.ids })).filter((row) => (row.role ?? row.parent_role) === role).length;
  if (!sample.more) return eligible;
  const open = await countWork(db, type, lang, COUNT_CAP);
  return Math.max(eligible, Math.round((open * eligible) / sample.ids.length));
}

/**
 * How many tasks of each type this user could be given now (spec §3.8), checked with the same rules that hand
 * tasks out, so a type is shown as available exactly when a request for it would succeed (fix §8.4) — exactly
 * while the open work fits in one sample, as an estimate beyond. Bounded cost: samples of the work rows and the
 * tree-state probes of `countMissingPrompts`, never a scan. Read-only: unlike the original, it runs neither the
 * lottery nor auto-moderation (fix §8.1).
 */
export async function taskAvailability(db: Database, userId: string, lang: string, deps: TreeDeps): Promise<Record<TaskRequestType, number>> {
  const settings = treeConfigForLanguage(deps.config, lang);
  const counts = Object.fromEntries(TASK_REQUEST_TYPES.map((type) => [type, 0])) as Record<TaskRequestType, number>;
  const types = (Object.keys(CHECKS) as (keyof typeof CHECKS)[]).filter((type) => type !== "rank_prompter_replies" || settings.rankPrompterReplies);
  const [missingPrompts, ...perType] = await Promise.all([
    countMissingPrompts(db, lang, deps),
    ...types.map((type) => countFor(db, type, userId, lang, settings, Math.random)),
  ]);
  counts.initial_prompt = missingPrompts!;
  types.forEach((type, i) => (counts[type] = perType[i]!));
  counts.random = TASK_REQUEST_TYPES.filter((type) => type !== "random").reduce((sum, type) => sum + counts[type], 0);
  return counts;
}
