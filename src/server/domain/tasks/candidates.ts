import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import type { TaskType } from "@/server/db/schema";
import { uuidArray } from "@/server/domain/messages/queries";
import type { TreeManagerSettings } from "@/server/domain/trees/config";

/**
 * Work a contributor could be given right now, per kind (spec §3.4), in two steps that both cost the same however
 * large the campaign:
 * 1. `sampleWork` takes a bounded, random sample of open targets from the work rows (`task_work`, kept by triggers:
 *    a target is there while the message and its tree say it is open for that task type, and is left out while the
 *    hand-out has marked it full for everyone);
 * 2. the rule functions (SQL, migration `handout_one_statement`; the queries below call them) check the sampled
 *    targets against every rule, each target by its indexes. The hand-out (`oa_request_task`) uses the same functions.
 * Fixes over the original kept in the rules:
 * - reservations are counted per target against its remaining capacity (open tasks of others within
 *   `recentTasksSpanSec`), instead of hiding a target from everyone while one task is open (§8.3);
 * - a target is offered only if this user could actually submit for it: no live reply of theirs under a parent
 *   (whatever its review state), no earlier review or ranking of theirs, no open task of theirs on it (§8.4);
 * - in a tree, the requester's own open reply tasks hold slots of the tree's goal too (issue 12 #22).
 * Hand-out re-checks the one target it takes under its row lock with the same rules. The SQL mirrors of
 * `SAMPLE_WINDOW` and `sampleWork` live in `oa_request_task`.
 */
export type CandidateQuery = { userId: string; lang: string; settings: TreeManagerSettings; ids: readonly string[] };

/** A work row not marked full by the hand-out (`task_work.full_until`, migration `handout_full_marks`). */
const openNow = sql`(full_until is null or full_until <= now())`;

/** How many open targets one probe samples. */
export const SAMPLE_WINDOW = 32;

export type WorkSample = { ids: string[]; /** More open targets exist beyond the sample. */ more: boolean };

/**
 * Up to `SAMPLE_WINDOW` open targets of `kind` in `lang`: the rows at or after a random key, wrapping around to the
 * start, along the (kind, lang, sort_key) index. Every target is in the sample when there are at most that many.
 */
export async function sampleWork(tx: DbOrTx, kind: TaskType, lang: string, random: () => number): Promise<WorkSample> {
  const key = random();
  const rows = await tx.execute<{ target_id: string }>(sql`
    select target_id from (
      (select target_id, 0 as part, sort_key from task_work
        where kind = ${kind} and lang = ${lang} and sort_key >= ${key} and ${openNow} order by sort_key limit ${SAMPLE_WINDOW + 1})
      union all
      (select target_id, 1 as part, sort_key from task_work
        where kind = ${kind} and lang = ${lang} and sort_key < ${key} and ${openNow} order by sort_key limit ${SAMPLE_WINDOW + 1})
    ) w order by part, sort_key limit ${SAMPLE_WINDOW + 1}`);
  const ids = rows.map((row) => row.target_id);
  return { ids: ids.slice(0, SAMPLE_WINDOW), more: ids.length > SAMPLE_WINDOW };
}

/** Open targets of `kind` in `lang`, counted up to `cap` along the index (never a scan of the whole set). */
export async function countWork(tx: DbOrTx, kind: TaskType, lang: string, cap: number): Promise<number> {
  const [row] = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from (select 1 from task_work where kind = ${kind} and lang = ${lang} and ${openNow} limit ${cap}) w`);
  return Number(row?.n ?? 0);
}

/**
 * The settings the rule functions read (`p_s` of the SQL functions of migration `handout_one_statement`), as the
 * jsonb text to pass them.
 */
export function ruleSettingsJson(settings: TreeManagerSettings): string {
  return JSON.stringify({
    numReviewsInitialPrompt: settings.numReviewsInitialPrompt,
    numReviewsReply: settings.numReviewsReply,
    numPrompterReplies: settings.numPrompterReplies,
    numRequiredRankings: settings.numRequiredRankings,
    adaptiveReviews: settings.adaptiveReviews,
    rankPrompterReplies: settings.rankPrompterReplies,
    recentTasksSpanSec: settings.recentTasksSpanSec,
    lonelyChildrenCount: settings.lonelyChildrenCount,
  });
}

export type ReviewCandidate = { id: string; role: "prompter" | "assistant"; message_tree_id: string };

const reviewCandidates = async (tx: DbOrTx, q: CandidateQuery, roots: boolean) =>
  q.ids.length === 0 ? [] : tx.execute<ReviewCandidate>(sql`
    select id, role, message_tree_id from oa_review_targets(${uuidArray(q.ids)}, ${q.userId}::uuid, ${q.lang}, ${roots},
      ${ruleSettingsJson(q.settings)}::jsonb)`);

/**
 * Initial prompts of active trees in review that still need reviews (SQL `oa_review_targets`; how many reviews a
 * message still needs is SQL `oa_reviews_still_needed`, the one place of that rule).
 */
export const findPromptsNeedingReview = (tx: DbOrTx, q: CandidateQuery) => reviewCandidates(tx, q, true);

/** Replies in active growing trees that still need reviews (SQL `oa_review_targets`). */
export const findRepliesNeedingReview = (tx: DbOrTx, q: CandidateQuery) => reviewCandidates(tx, q, false);

export type ParentCandidate = { id: string; role: "prompter" | "assistant"; message_tree_id: string; children: number };

/**
 * Accepted messages in active growing trees that can take one more reply (SQL `oa_reply_targets`): below the tree's
 * depth limit, with room among their children (prompter messages take up to maxChildrenCount assistant replies,
 * assistant messages up to numPrompterReplies prompter replies) and room left in the tree's goal, reservations
 * included.
 */
export async function findExtendibleParents(tx: DbOrTx, q: CandidateQuery): Promise<ParentCandidate[]> {
  if (q.ids.length === 0) return [];
  return tx.execute<ParentCandidate>(sql`
    select id, role, message_tree_id, children from oa_reply_targets(${uuidArray(q.ids)}, ${q.userId}::uuid, ${q.lang},
      ${ruleSettingsJson(q.settings)}::jsonb)`);
}

export type RankingCandidate = { parent_id: string; parent_role: "prompter" | "assistant"; message_tree_id: string };

/** Parents in active ranking trees whose accepted replies still need rankings, that this user may rank (SQL `oa_rank_targets`). */
export async function findIncompleteRankings(tx: DbOrTx, q: CandidateQuery): Promise<RankingCandidate[]> {
  if (q.ids.length === 0) return [];
  return tx.execute<RankingCandidate>(sql`
    select parent_id, parent_role, message_tree_id from oa_rank_targets(${uuidArray(q.ids)}, ${q.userId}::uuid, ${q.lang},
      ${ruleSettingsJson(q.settings)}::jsonb)`);
}
