import { sql } from "drizzle-orm";
import type { DbOrTx, Transaction } from "@/server/db/client";
import { qualityLabelAgreement, qualityReviewers, qualitySiblingGroups, type ReplyStrengths } from "@/server/db/schema";
import { LABEL_DEFINITIONS, type LabelName } from "@/server/domain/labels/definitions";
import { pgArray } from "@/server/domain/dataset/pg-array";
import { consensusForSiblings } from "@/server/domain/ranking/ranked-pairs";
import { AlphaAccumulator, type AlphaMetric, consensusMargin, kendallW, wilsonLowerBound } from "./agreement";
import { bootstrapBradleyTerry, impliedPairs } from "./bradley-terry";
import { goldTallies } from "./gold";
import { enqueueSplitReviews } from "./split-reviews";

/**
 * The quality job (issue 14): reads every task-based review and every ranking once, in pages, and replaces the
 * stored results (schema/quality.ts) in the caller's transaction.
 * - per label, Krippendorff's α over all reviews, by language and by month of the reviewed message (nominal for
 *   yes/no and flag labels, interval for the Likert scales);
 * - per ranked sibling group, Kendall's W, the consensus margin and Bradley–Terry strengths with bootstrap
 *   intervals (resampling whole rankings);
 * - per reviewer, agreement with the others (label values against the strict majority of the other reviewers of
 *   the message; a ranking's best reply against the other rankers' consensus) plus accuracy on gold items
 *   (gold.ts), scored by the Wilson lower bound;
 * then queues the least agreed sibling groups for moderators (split-reviews.ts).
 */
export type QualityReport = { labelRows: number; siblingGroups: number; reviewers: number; queued: number };

const PAGE = 2_000;
/** Bootstrap resamples per sibling group: enough for a stable 95 % interval on a handful of rankings. */
const GROUP_BOOTSTRAP_SAMPLES = 100;

export function metricOf(label: string): AlphaMetric | null {
  const definition = LABEL_DEFINITIONS[label as LabelName];
  if (!definition) return null;
  return definition.widget === "likert" ? "interval" : "nominal";
}

type Tally = { labelAgreements: number; labelTrials: number; rankingAgreements: number; rankingTrials: number };

function tallyOf(tallies: Map<string, Tally>, userId: string): Tally {
  let tally = tallies.get(userId);
  if (!tally) {
    tally = { labelAgreements: 0, labelTrials: 0, rankingAgreements: 0, rankingTrials: 0 };
    tallies.set(userId, tally);
  }
  return tally;
}

/** Leave-one-out: each value against the strict majority of the other values (no majority, no trial). */
export function scoreAgainstOthers(values: number[]): (boolean | null)[] {
  return values.map((value, i) => {
    const counts = new Map<number, number>();
    for (let j = 0; j < values.length; j++) if (j !== i) counts.set(values[j]!, (counts.get(values[j]!) ?? 0) + 1);
    const others = values.length - 1;
    for (const [candidate, count] of counts) if (count * 2 > others) return candidate === value;
    return null;
  });
}

async function computeLabelAgreement(tx: DbOrTx, tallies: Map<string, Tally>) {
  const accumulators = new Map<string, { label: string; scope: "all" | "lang" | "month"; key: string; acc: AlphaAccumulator }>();
  const add = (label: string, metric: AlphaMetric, scope: "all" | "lang" | "month", key: string, values: number[]) => {
    const id = `${label}\u0000${scope}\u0000${key}`;
    let entry = accumulators.get(id);
    if (!entry) {
      entry = { label, scope, key, acc: new AlphaAccumulator(metric) };
      accumulators.set(id, entry);
    }
    entry.acc.addUnit(values);
  };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const page = await tx.execute<{ id: string }>(sql`
      select distinct message_id as id from text_labels
      where task_id is not null and message_id > ${after}::uuid
      order by message_id limit ${PAGE}`);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const rows = await tx.execute<{ message_id: string; lang: string; month: string; label: string; vals: number[]; users: string[] }>(sql`
      select tl.message_id, m.lang, to_char(m.created_date at time zone 'UTC', 'YYYY-MM') as month, l.key as label,
        array_agg(l.value::float8 order by tl.user_id) as vals, array_agg(tl.user_id order by tl.user_id) as users
      from text_labels tl
      join messages m on m.id = tl.message_id and not m.deleted
      cross join lateral jsonb_each_text(tl.labels) as l
      where tl.message_id = any(${pgArray(page.map((row) => row.id))}::uuid[]) and tl.task_id is not null
        and jsonb_typeof(tl.labels -> l.key) = 'number'
      group by tl.message_id, m.lang, month, l.key
      having count(*) >= 2`);
    for (const row of rows) {
      const metric = metricOf(row.label);
      if (!metric) continue;
      add(row.label, metric, "all", "", row.vals);
      add(row.label, metric, "lang", row.lang, row.vals);
      add(row.label, metric, "month", row.month, row.vals);
      if (metric === "nominal" && row.vals.length >= 3) {
        scoreAgainstOthers(row.vals).forEach((agrees, i) => {
          if (agrees === null) return;
          const tally = tallyOf(tallies, row.users[i]!);
          tally.labelTrials++;
          if (agrees) tally.labelAgreements++;
        });
      }
    }
  }
  return [...accumulators.values()].map(({ label, scope, key, acc }) => {
    const { alpha, units, values } = acc.result();
    return { label, scope, key, metric: acc.metric, alpha, units, values };
  });
}

export type SiblingGroupResult = {
  parentId: string;
  messageTreeId: string;
  lang: string;
  rankings: number;
  kendallW: number | null;
  consensusMargin: number | null;
  strengths: ReplyStrengths;
};

/**
 * Everything the quality page and the export keep for one ranked sibling group. `weights`: per ranking, how much its
 * pairs count in the Bradley–Terry fit (reliability weighting; W and the margin stay unweighted).
 */
export function analyseSiblingGroup(rankings: string[][], seed = 1, weights?: readonly number[]): Omit<SiblingGroupResult, "parentId" | "messageTreeId" | "lang"> {
  const consensus = consensusForSiblings(rankings);
  const replies = [...new Set(rankings.flat())];
  const fit = bootstrapBradleyTerry(replies, rankings.map((ranking, i) => impliedPairs(ranking, weights?.[i] ?? 1)), { samples: GROUP_BOOTSTRAP_SAMPLES, seed });
  const strengths: ReplyStrengths = {};
  for (const [id, value] of fit) strengths[id] = value;
  return {
    rankings: rankings.length,
    kendallW: kendallW(rankings),
    consensusMargin: consensus ? consensusMargin(consensus.order, rankings) : null,
    strengths,
  };
}

/** Stable per-group seed, so a rerun on the same data stores the same intervals. */
function seedOf(id: string): number {
  return Number.parseInt(id.replaceAll("-", "").slice(0, 8), 16) || 1;
}

/** A ranker's weight: their score of the previous run (Wilson lower bound), an unscored ranker in the middle. */
export const UNSCORED_WEIGHT = 0.5;
const MIN_WEIGHT = 0.05;

async function previousScores(tx: DbOrTx): Promise<Map<string, number>> {
  const rows = await tx.select({ userId: qualityReviewers.userId, score: qualityReviewers.score }).from(qualityReviewers);
  return new Map(rows.map((row) => [row.userId, row.score]));
}

async function computeSiblingGroups(tx: DbOrTx, tallies: Map<string, Tally>, scores: Map<string, number> | null): Promise<SiblingGroupResult[]> {
  const groups: SiblingGroupResult[] = [];
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const page = await tx.execute<{ id: string }>(sql`
      select distinct message_id as id from message_reactions
      where message_id > ${after}::uuid and message_id is not null
      order by message_id limit ${PAGE}`);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const rows = await tx.execute<{ parent_id: string; tree_id: string; lang: string; rankings: string[][]; users: string[] }>(sql`
      select r.message_id as parent_id, m.message_tree_id as tree_id, m.lang,
        json_agg(r.payload -> 'rankedMessageIds' order by r.user_id) as rankings, array_agg(r.user_id order by r.user_id) as users
      from message_reactions r
      join messages m on m.id = r.message_id and not m.deleted
      where r.message_id = any(${pgArray(page.map((row) => row.id))}::uuid[])
        and coalesce((r.payload ->> 'notRankable')::boolean, false) = false
        and jsonb_array_length(r.payload -> 'rankedMessageIds') >= 2
      group by r.message_id, m.message_tree_id, m.lang`);
    for (const row of rows) {
      const weights = scores ? row.users.map((user) => Math.max(MIN_WEIGHT, scores.get(user) ?? UNSCORED_WEIGHT)) : undefined;
      groups.push({ parentId: row.parent_id, messageTreeId: row.tree_id, lang: row.lang, ...analyseSiblingGroup(row.rankings, seedOf(row.parent_id), weights) });
      if (row.rankings.length < 2) continue;
      row.rankings.forEach((ranking, i) => {
        const others = row.rankings.filter((_, j) => j !== i);
        const consensus = consensusForSiblings(others);
        if (!consensus || !ranking[0]) return;
        const tally = tallyOf(tallies, row.users[i]!);
        tally.rankingTrials++;
        if (consensus.order[0] === ranking.find((id) => consensus.common.has(id))) tally.rankingAgreements++;
      });
    }
  }
  return groups;
}

async function insertInSlices<T>(rows: T[], insert: (slice: T[]) => Promise<unknown>, size = 1_000): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Computes everything and replaces the stored results; run it in one transaction (the job holds a lock). */
export type QualityOptions = { /** Weigh rankings by their rankers' previous scores (tree-manager `qualityReliabilityWeighting`). */ reliabilityWeighting?: boolean };

export async function computeQuality(tx: Transaction, options: QualityOptions = {}): Promise<QualityReport> {
  const tallies = new Map<string, Tally>();
  const labelRows = await computeLabelAgreement(tx, tallies);
  const groups = await computeSiblingGroups(tx, tallies, options.reliabilityWeighting ? await previousScores(tx) : null);
  const gold = await goldTallies(tx);
  for (const userId of gold.keys()) tallyOf(tallies, userId);
  const reviewers = [...tallies].map(([userId, t]) => {
    const { correct: goldCorrect, total: goldTrials } = gold.get(userId) ?? { correct: 0, total: 0 };
    return {
      userId,
      ...t,
      goldCorrect,
      goldTrials,
      score: wilsonLowerBound(t.labelAgreements + t.rankingAgreements + goldCorrect, t.labelTrials + t.rankingTrials + goldTrials),
    };
  });
  // Every row is replaced by this run (the caller's transaction makes the swap atomic for readers).
  await tx.execute(sql`delete from ${qualityLabelAgreement}`);
  await tx.execute(sql`delete from ${qualitySiblingGroups}`);
  await tx.execute(sql`delete from ${qualityReviewers}`);
  await insertInSlices(labelRows, (slice) => tx.insert(qualityLabelAgreement).values(slice));
  await insertInSlices(groups, (slice) => tx.insert(qualitySiblingGroups).values(slice));
  await insertInSlices(reviewers, (slice) => tx.insert(qualityReviewers).values(slice));
  const queued = await enqueueSplitReviews(tx);
  return { labelRows: labelRows.length, siblingGroups: groups.length, reviewers: reviewers.length, queued };
}
