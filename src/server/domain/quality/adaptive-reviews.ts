import { eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { computeAcceptance, isAccepted } from "@/server/domain/labels/definitions";
import { consensusForSiblings } from "@/server/domain/ranking/ranked-pairs";
import type { TreeManagerSettings } from "@/server/domain/trees/config";
import { consensusMargin } from "./agreement";

/**
 * Adaptive review count (issue 14; a tree-manager setting, off by default to keep the original's fixed counts):
 * stop at the minimum number of judgements when they agree, ask for up to `maxExtra` more while they split.
 * Pure decision rules; the tree manager asks them whether a message (or a sibling group) is decided.
 */
export type AdaptiveSettings = {
  /** Judgements before any decision: the original's fixed count (numReviewsReply, numRequiredRankings). */
  minimum: number;
  /** Further judgements asked for at most while the first ones split. */
  maxExtra: number;
  /**
   * Reviews: the share of reviews on the majority side at or above which they count as agreeing (e.g. 0.75: three
   * of four). Rankings: the consensus margin (agreement.ts) at or above which the rankers count as agreeing.
   */
  threshold: number;
};

export type AdaptiveDecision = { decided: boolean; wanted: number; reason: "too_few" | "agree" | "exhausted" | "split" };

function decide(count: number, agree: boolean, settings: AdaptiveSettings): AdaptiveDecision {
  const cap = settings.minimum + settings.maxExtra;
  if (count < settings.minimum) return { decided: false, wanted: settings.minimum, reason: "too_few" };
  if (agree) return { decided: true, wanted: count, reason: "agree" };
  if (count >= cap) return { decided: true, wanted: count, reason: "exhausted" };
  return { decided: false, wanted: Math.min(cap, count + 1), reason: "split" };
}

/** Reviews as votes (true = accept): agreement is the majority side's share. */
export function decideReviews(votes: boolean[], settings: AdaptiveSettings): AdaptiveDecision {
  const accepts = votes.filter(Boolean).length;
  const majority = Math.max(accepts, votes.length - accepts);
  return decide(votes.length, votes.length > 0 && majority / votes.length >= settings.threshold, settings);
}

/** Rankings of one sibling group (best first): agreement is the consensus margin. */
export function decideRankings(rankings: string[][], settings: AdaptiveSettings): AdaptiveDecision {
  const consensus = consensusForSiblings(rankings);
  const margin = consensus ? consensusMargin(consensus.order, rankings) : null;
  return decide(rankings.length, margin !== null && margin >= settings.threshold, settings);
}

/**
 * Wiring into the tree manager. With `adaptiveReviews` on, the submit paths keep a per-message "wanted" count
 * (`messages.reviews_wanted`, `messages.rankings_wanted` on the ranking parent) from the rules above, and every
 * rule that compares a review or ranking count with the fixed setting compares it with `reviewsNeeded` /
 * `rankingsNeeded` instead (the hand-out's candidate rules, the review decision, the tree's ranking and scoring
 * conditions, the submit guards). With the setting off these are exactly the original's fixed counts.
 */
type CountSettings = Pick<
  TreeManagerSettings,
  | "adaptiveReviews" | "adaptiveMaxExtraReviews" | "adaptiveReviewAgreement" | "adaptiveMaxExtraRankings" | "adaptiveRankingMargin"
  | "numReviewsInitialPrompt" | "numReviewsReply" | "numRequiredRankings" | "acceptanceThresholdInitialPrompt" | "acceptanceThresholdReply"
>;

/** Reviews the message (alias of a `messages` row in SQL) needs before it is decided. */
export function reviewsNeededSql(alias: SQL, settings: CountSettings): SQL {
  const fixed = sql`(case when ${alias}.parent_id is null then ${settings.numReviewsInitialPrompt}::int else ${settings.numReviewsReply}::int end)`;
  return settings.adaptiveReviews ? sql`coalesce(${alias}.reviews_wanted, ${fixed})` : fixed;
}

export function reviewsNeeded(message: { parentId: string | null; reviewsWanted: number | null }, settings: CountSettings): number {
  const fixed = message.parentId === null ? settings.numReviewsInitialPrompt : settings.numReviewsReply;
  return settings.adaptiveReviews ? (message.reviewsWanted ?? fixed) : fixed;
}

/** Completed rankings the replies of the ranking parent (alias of a `messages` row in SQL) need. */
export function rankingsNeededSql(alias: SQL, settings: CountSettings): SQL {
  return settings.adaptiveReviews
    ? sql`coalesce(${alias}.rankings_wanted, ${settings.numRequiredRankings}::int)`
    : sql`${settings.numRequiredRankings}::int`;
}

export function rankingsNeeded(parent: { rankingsWanted: number | null }, settings: CountSettings): number {
  return settings.adaptiveReviews ? (parent.rankingsWanted ?? settings.numRequiredRankings) : settings.numRequiredRankings;
}

type MessageRow = typeof messages.$inferSelect;

/**
 * After a review of `message` was stored (its count included, the row locked): records how many reviews it needs
 * now. A review votes "accept" when it alone would pass the acceptance threshold. Returns the row as updated.
 */
export async function updateReviewsWanted(tx: DbOrTx, message: MessageRow, settings: CountSettings): Promise<MessageRow> {
  if (!settings.adaptiveReviews) return message;
  const isRoot = message.parentId === null;
  const threshold = isRoot ? settings.acceptanceThresholdInitialPrompt : settings.acceptanceThresholdReply;
  const rows = await tx.execute<{ labels: Record<string, number> }>(sql`
    select l.labels from text_labels l join tasks t on t.id = l.id where l.message_id = ${message.id} and t.done`);
  const decision = decideReviews(rows.map((row) => isAccepted(computeAcceptance([row.labels]), threshold)), {
    minimum: isRoot ? settings.numReviewsInitialPrompt : settings.numReviewsReply,
    maxExtra: settings.adaptiveMaxExtraReviews,
    threshold: settings.adaptiveReviewAgreement,
  });
  if (decision.wanted === message.reviewsWanted) return message;
  const [updated] = await tx.update(messages).set({ reviewsWanted: decision.wanted }).where(eq(messages.id, message.id)).returning();
  return updated ?? message;
}

/** After a ranking of the replies of `parentId` was stored (the parent row locked): records how many it needs now. */
export async function updateRankingsWanted(tx: DbOrTx, parentId: string, settings: CountSettings): Promise<void> {
  if (!settings.adaptiveReviews) return;
  const rows = await tx.execute<{ ids: string[] }>(sql`
    select r.payload -> 'rankedMessageIds' as ids from message_reactions r join tasks t on t.id = r.task_id
    where t.done and r.message_id = ${parentId} order by r.created_date`);
  const decision = decideRankings(rows.map((row) => row.ids), {
    minimum: settings.numRequiredRankings,
    maxExtra: settings.adaptiveMaxExtraRankings,
    threshold: settings.adaptiveRankingMargin,
  });
  await tx.update(messages).set({ rankingsWanted: decision.wanted }).where(eq(messages.id, parentId));
}
