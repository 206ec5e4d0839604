import { bootstrapBradleyTerry, type Comparison, fitBradleyTerry, type Strength } from "./bradley-terry";

/**
 * The model arena's statistics (issue 14): chat votes and draft picks become pairwise comparisons between models;
 * this file turns them into a leaderboard. Pure; arena.test.ts checks it on simulated voters with known model
 * strengths. Collecting the votes (only from chats whose owner allows data use) is the caller's part.
 */
export type ArenaVote = { userId: string; winner: string; loser: string; at: Date };

export type ArenaOptions = {
  /** At most this many votes per user and UTC day count (the first ones), so no one floods the board. */
  dailyCap?: number;
  /** Users with fewer votes are never judged random (too little evidence either way). */
  minVotesForRandomTest?: number;
  samples?: number;
  seed?: number;
};

export type ArenaEntry = Strength & { model: string; rank: number; votes: number };

export type ArenaResult = { entries: ArenaEntry[]; droppedUsers: string[]; votesUsed: number };

/** Keeps each user's first `cap` votes of each UTC day. */
export function capVotesPerDay(votes: ArenaVote[], cap: number): ArenaVote[] {
  const seen = new Map<string, number>();
  return [...votes]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .filter((vote) => {
      const key = `${vote.userId}\u0000${vote.at.toISOString().slice(0, 10)}`;
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      return count <= cap;
    });
}

/**
 * Likelihood-ratio test in the spirit of Chatbot Arena's anomalous-user detection: a user's votes are scored under
 * the Bradley–Terry fit of everyone else's votes and under a coin flip; a user whose votes the model explains no
 * better than chance (log-likelihood ratio ≤ 0) is indistinguishable from random and dropped.
 */
export function randomVoters(votes: ArenaVote[], models: string[], minVotes: number): string[] {
  const byUser = new Map<string, ArenaVote[]>();
  for (const vote of votes) byUser.set(vote.userId, [...(byUser.get(vote.userId) ?? []), vote]);
  const dropped: string[] = [];
  for (const [userId, own] of byUser) {
    if (own.length < minVotes) continue;
    const others = votes.filter((vote) => vote.userId !== userId);
    const fit = fitBradleyTerry(models, others, { prior: 0.5 });
    let ratio = 0;
    for (const { winner, loser } of own) {
      const p = 1 / (1 + Math.exp(fit.get(loser)! - fit.get(winner)!));
      ratio += Math.log(p) - Math.log(0.5);
    }
    if (ratio <= 0) dropped.push(userId);
  }
  return dropped.sort();
}

/** Ranks by non-overlapping intervals: 1 + the number of models whose whole interval lies above this one's. */
export function rankByIntervals(strengths: Map<string, Strength>): Map<string, number> {
  const entries = [...strengths];
  return new Map(entries.map(([model, s]) => [model, 1 + entries.filter(([, other]) => other.lower > s.upper).length]));
}

export function fitArena(votes: ArenaVote[], options: ArenaOptions = {}): ArenaResult {
  const capped = capVotesPerDay(votes, options.dailyCap ?? 50);
  const models = [...new Set(capped.flatMap((vote) => [vote.winner, vote.loser]))].sort();
  const droppedUsers = randomVoters(capped, models, options.minVotesForRandomTest ?? 20);
  const dropped = new Set(droppedUsers);
  const used = capped.filter((vote) => !dropped.has(vote.userId));
  const units: Comparison[][] = used.map(({ winner, loser }) => [{ winner, loser }]);
  const strengths = bootstrapBradleyTerry(models, units, { prior: 0.5, samples: options.samples ?? 200, seed: options.seed ?? 1 });
  const ranks = rankByIntervals(strengths);
  const votesOf = (model: string) => used.filter((vote) => vote.winner === model || vote.loser === model).length;
  const entries = models
    .map((model) => ({ model, ...strengths.get(model)!, rank: ranks.get(model)!, votes: votesOf(model) }))
    .sort((a, b) => a.rank - b.rank || b.strength - a.strength);
  return { entries, droppedUsers, votesUsed: used.length };
}
