/**
 * Consensus ranking of sibling replies with Tideman's ranked pairs, ported from OA
 * `backend/oasst_backend/utils/ranking.py` (`ranked_pairs`, `cycle_detect`, `get_winner`, `get_ranking`) and the
 * set handling of `tree_manager.py ranked_pairs_update` (spec backend §3.7). The port keeps OA's tie-breaking so a
 * re-scored tree gets the same ranks the original would have given it.
 */

/** A locked or candidate preference "winner is ranked above loser", by index into the sorted ids. */
type Pair = readonly [winner: number, loser: number];

type WeightedPair = { pair: Pair; margin: number };

/** Python compares `str` by code point; our ids are ASCII (UUIDs), where code units give the same order. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * OA assumes every voter ranked the same ids (the caller filters to the common set first); anything else would
 * silently produce a wrong tally, so it is refused here.
 */
function assertSameCandidates(rankings: readonly (readonly string[])[], names: readonly string[]): void {
  const expected = new Set(names);
  if (expected.size !== names.length) throw new Error("rankedPairs: a ranking lists the same id twice");
  for (const ranking of rankings) {
    if (ranking.length !== names.length || !ranking.every((id) => expected.has(id))) {
      throw new Error("rankedPairs: every ranking must order the same ids");
    }
  }
}

/** `margin[i][j]` = #voters placing names[i] above names[j] minus #voters placing it below (OA `tallies - tallies.T`). */
function pairwiseMargins(rankings: readonly (readonly string[])[], names: readonly string[]): number[][] {
  const positionsByVoter = rankings.map((ranking) => {
    const position = new Map(ranking.map((id, index) => [id, index]));
    return names.map((name) => position.get(name)!);
  });
  // sign(pos[j] − pos[i]) is +1 when this voter put i above j, −1 when below, 0 on the diagonal.
  return names.map((_, i) =>
    names.map((_, j) => positionsByVoter.reduce((sum, pos) => sum + Math.sign(pos[j]! - pos[i]!), 0)),
  );
}

/**
 * Every pair with a margin ≥ 0 — a tie yields both directions — strongest first. `Array.prototype.sort` is stable,
 * so equal margins keep the i-major, j-minor order of the sorted ids, exactly like Python's `sorted(reverse=True)`.
 */
function candidatePairs(margins: readonly (readonly number[])[]): WeightedPair[] {
  const candidates: WeightedPair[] = [];
  margins.forEach((row, i) =>
    row.forEach((margin, j) => {
      if (i !== j && margin >= 0) candidates.push({ pair: [i, j], margin });
    }),
  );
  return candidates.sort((a, b) => b.margin - a.margin);
}

/**
 * OA `cycle_detect`: repeatedly drop the pairs whose loser never wins (a sink); if pairs remain and none of them
 * has such a loser, every remaining id both wins and loses, so the pairs contain a cycle.
 */
function containsCycle(pairs: readonly Pair[]): boolean {
  let remaining = pairs;
  while (remaining.length > 1) {
    const winners = new Set(remaining.map(([winner]) => winner));
    const sinks = new Set(remaining.map(([, loser]) => loser).filter((loser) => !winners.has(loser)));
    if (sinks.size === 0) return true;
    remaining = remaining.filter(([, loser]) => !sinks.has(loser));
  }
  return false;
}

/** Tideman's lock-in: take the strongest preferences first and skip any that would contradict the ones already locked. */
function lockPairs(candidates: readonly WeightedPair[]): Pair[] {
  const locked: Pair[] = [];
  for (const { pair } of candidates) {
    locked.push(pair);
    if (containsCycle(locked)) locked.pop();
  }
  return locked;
}

/** OA `get_winner`: the lowest-index id that wins a pair and loses none. */
function firstSource(pairs: readonly Pair[]): number {
  const losers = new Set(pairs.map(([, loser]) => loser));
  const winners = [...new Set(pairs.map(([winner]) => winner))].sort((a, b) => a - b);
  const source = winners.find((winner) => !losers.has(winner));
  if (source === undefined) throw new Error("rankedPairs: locked pairs contain a cycle");
  return source;
}

/**
 * OA `get_ranking`: peel off sources one by one; when a single pair is left it names the last two ids. Every two
 * ids are ordered by the locked graph (a pair is only skipped when the reverse path is already locked), so this
 * reaches every id.
 */
function orderFromLockedPairs(locked: readonly Pair[]): number[] {
  const order: number[] = [];
  let remaining = locked;
  while (remaining.length > 1) {
    const source = firstSource(remaining);
    order.push(source);
    remaining = remaining.filter(([winner]) => winner !== source);
  }
  const [lastPair] = remaining;
  if (lastPair) order.push(...lastPair);
  return order;
}

/**
 * Consensus order (best first) of the ids that every ranking orders. Ties are broken towards the lexically smaller
 * id, as in OA. One ranked id is returned as is; OA would raise on it, but a single id has an obvious order.
 */
export function rankedPairs(rankings: string[][]): string[] {
  const [firstRanking] = rankings;
  if (!firstRanking) return [];
  const names = [...firstRanking].sort(compareIds);
  assertSameCandidates(rankings, names);
  if (names.length < 2) return names;

  const locked = lockPairs(candidatePairs(pairwiseMargins(rankings, names)));
  const order = orderFromLockedPairs(locked).map((index) => names[index]!);
  if (order.length !== names.length) throw new Error("rankedPairs: consensus does not order every id");
  return order;
}

/**
 * Consensus over the ids that every ranker saw (OA `tree_manager.ranked_pairs_update`): the rankers' sets are
 * intersected and each ranking is filtered to that common set. Returns null when fewer than two ids are common
 * (nothing to order); siblings outside `common` get no rank.
 */
export function consensusForSiblings(rankings: string[][]): { order: string[]; common: Set<string> } | null {
  const [firstRanking, ...others] = rankings;
  if (!firstRanking) return null;
  const common = new Set(firstRanking);
  for (const ranking of others) {
    const seen = new Set(ranking);
    for (const id of common) if (!seen.has(id)) common.delete(id);
  }
  if (common.size < 2) return null;
  const filtered = rankings.map((ranking) => ranking.filter((id) => common.has(id)));
  return { order: rankedPairs(filtered), common };
}
