import { describe, expect, it } from "vitest";
import { type ArenaVote, capVotesPerDay, fitArena, rankByIntervals } from "./arena";
import { seededRandom } from "./bradley-terry";

const TRUTH = new Map([["big", 1.0], ["mid", 0.2], ["small", -1.2]]);
const MODELS = [...TRUTH.keys()];

function simulate(options: { honest: number; random: number; votesEach: number; seed: number }): ArenaVote[] {
  const random = seededRandom(options.seed);
  const votes: ArenaVote[] = [];
  const day = Date.UTC(2026, 0, 1);
  const users = [
    ...Array.from({ length: options.honest }, (_, i) => ({ id: `honest-${i}`, honest: true })),
    ...Array.from({ length: options.random }, (_, i) => ({ id: `random-${i}`, honest: false })),
  ];
  for (const user of users) {
    for (let v = 0; v < options.votesEach; v++) {
      const a = MODELS[Math.floor(random() * 3)]!;
      let b = a;
      while (b === a) b = MODELS[Math.floor(random() * 3)]!;
      const pA = user.honest ? 1 / (1 + Math.exp(TRUTH.get(b)! - TRUTH.get(a)!)) : 0.5;
      const aWins = random() < pA;
      // Spread over days so that the daily cap does not bite.
      votes.push({ userId: user.id, winner: aWins ? a : b, loser: aWins ? b : a, at: new Date(day + v * 86_400_000) });
    }
  }
  return votes;
}

describe("fitArena", () => {
  it("recovers known model strengths within its intervals and ranks them apart", () => {
    const result = fitArena(simulate({ honest: 40, random: 0, votesEach: 40, seed: 11 }), { samples: 100, seed: 3 });
    const centred = [...TRUTH.values()].reduce((a, b) => a + b, 0) / TRUTH.size;
    for (const entry of result.entries) {
      const truth = TRUTH.get(entry.model)! - centred;
      expect(entry.lower).toBeLessThanOrEqual(truth);
      expect(entry.upper).toBeGreaterThanOrEqual(truth);
    }
    expect(result.entries.map((e) => [e.model, e.rank])).toEqual([["big", 1], ["mid", 2], ["small", 3]]);
  });

  it("drops simulated random voters and keeps the honest ones", () => {
    const result = fitArena(simulate({ honest: 30, random: 6, votesEach: 60, seed: 5 }), { samples: 20 });
    expect(result.droppedUsers.filter((user) => user.startsWith("random-"))).toHaveLength(6);
    expect(result.droppedUsers.filter((user) => user.startsWith("honest-")).length).toBeLessThanOrEqual(1);
  });
});

describe("capVotesPerDay", () => {
  it("keeps each user's first votes of each UTC day", () => {
    const at = (iso: string) => new Date(iso);
    const votes: ArenaVote[] = [
      { userId: "u", winner: "a", loser: "b", at: at("2026-01-01T10:00:00Z") },
      { userId: "u", winner: "a", loser: "b", at: at("2026-01-01T09:00:00Z") },
      { userId: "u", winner: "b", loser: "a", at: at("2026-01-01T11:00:00Z") },
      { userId: "u", winner: "b", loser: "a", at: at("2026-01-02T00:30:00Z") },
      { userId: "v", winner: "b", loser: "a", at: at("2026-01-01T12:00:00Z") },
    ];
    expect(capVotesPerDay(votes, 2).map((vote) => `${vote.userId}@${vote.at.toISOString().slice(11, 13)}`)).toEqual(["u@09", "u@10", "v@12", "u@00"]);
  });
});

describe("rankByIntervals", () => {
  it("gives overlapping models the same rank", () => {
    const ranks = rankByIntervals(new Map([
      ["a", { strength: 1, lower: 0.8, upper: 1.2 }],
      ["b", { strength: 0.9, lower: 0.7, upper: 1.1 }],
      ["c", { strength: 0, lower: -0.2, upper: 0.2 }],
    ]));
    expect([...ranks]).toEqual([["a", 1], ["b", 1], ["c", 3]]);
  });
});
