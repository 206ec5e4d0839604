/**
 * Leader score and levels (spec backend §4.3). The weights are OA's `UserStats.compute_leader_score`
 * (`backend/oasst_backend/models/user_stats.py`); the level thresholds are the website's `generateThresholds`
 * (`website/src/hooks/ui/useUserScore.ts`, issue #1957).
 */

/** The counters of one user in one time frame that feed the score (columns of `user_stats`). */
export type LeaderScoreStats = {
  prompts: number;
  repliesAssistant: number;
  repliesPrompter: number;
  labelsSimple: number;
  labelsFull: number;
  rankingsTotal: number;
  rankingsGood: number;
  acceptedPrompts: number;
  acceptedRepliesAssistant: number;
  acceptedRepliesPrompter: number;
  replyRanked1: number;
  replyRanked2: number;
  replyRanked3: number;
};

/**
 * Writing replies, reviewing and ranking earn points; initial prompts earn a tenth of a point each (so nobody
 * farms the prompt lottery), and a reply that other people rank first is worth the most. `Math.trunc(n * 0.1)`
 * rather than `Math.floor(n / 10)` mirrors Python's `int(n * 0.1)` on the same doubles.
 */
export function computeLeaderScore(stats: LeaderScoreStats): number {
  return (
    Math.trunc(stats.prompts * 0.1) +
    stats.repliesAssistant * 4 +
    stats.repliesPrompter +
    stats.labelsSimple +
    stats.labelsFull * 2 +
    stats.rankingsTotal +
    stats.rankingsGood +
    Math.trunc(stats.acceptedPrompts * 0.1) +
    stats.acceptedRepliesAssistant * 4 +
    stats.acceptedRepliesPrompter +
    stats.replyRanked1 * 9 +
    stats.replyRanked2 * 3 +
    stats.replyRanked3
  );
}

export const MAX_LEVEL = 100;

/** Each level costs 1.1521·n + 3 more points than the previous one, so early levels come quickly. */
const LEVEL_STEP_FACTOR = 1.1521;
const LEVEL_STEP_BASE = 3;

function levelThresholds(): number[] {
  const thresholds = [0];
  let sum = 0;
  for (let n = 1; n < MAX_LEVEL; n++) {
    // Rounded from the running float sum, exactly as OA accumulates it (no partial sum lands on .5).
    sum += n * LEVEL_STEP_FACTOR + LEVEL_STEP_BASE;
    thresholds.push(Math.round(sum));
  }
  return thresholds;
}

/** Minimum score of level n+1 at index n: 0, 4, 9, 16, 24, …, 6000 (100 entries). */
export const LEVEL_THRESHOLDS: readonly number[] = Object.freeze(levelThresholds());

/** The number of thresholds the score has reached: 1 at score 0, 100 from 6000 on. */
export function levelForScore(score: number): number {
  return LEVEL_THRESHOLDS.filter((threshold) => threshold <= score).length;
}

/** Points still missing to reach the next level; null at the top level. */
export function pointsToNextLevel(score: number): number | null {
  const next = LEVEL_THRESHOLDS[levelForScore(score)];
  return next === undefined ? null : next - score;
}
