import { consensusMargin } from "./agreement";
import { consensusForSiblings } from "@/server/domain/ranking/ranked-pairs";

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
