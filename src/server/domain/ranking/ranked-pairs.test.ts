import { describe, expect, it } from "vitest";
import { seededRandom } from "@/lib/seeded-random";
import { consensusForSiblings, rankedPairs } from "./ranked-pairs";

function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Distinct random UUID-like ids, in random (not sorted) order. */
function randomIds(random: () => number, count: number): string[] {
  const ids = new Set<string>();
  while (ids.size < count) {
    const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
    ids.add(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
  }
  return [...ids];
}

function randomElection(random: () => number): string[][] {
  const ids = randomIds(random, randomInt(random, 2, 9));
  return Array.from({ length: randomInt(random, 1, 10) }, () => shuffled(ids, random));
}

/** The id that beats every other id in a strict head-to-head majority, if there is one. */
function condorcetWinner(rankings: string[][]): string | undefined {
  const ids = rankings[0] ?? [];
  const prefers = (a: string, b: string) => rankings.filter((r) => r.indexOf(a) < r.indexOf(b)).length;
  return ids.find((a) => ids.every((b) => a === b || prefers(a, b) > prefers(b, a)));
}

describe("rankedPairs (Tideman, OA utils/ranking.py)", () => {
  describe("reproduces the examples of spec §3.7", () => {
    it("returns a single ranking unchanged", () => {
      expect(rankedPairs([["a", "b", "c"]])).toEqual(["a", "b", "c"]);
    });

    it("breaks an exact tie towards the lexically smaller id", () => {
      expect(rankedPairs([["a", "b"], ["b", "a"]])).toEqual(["a", "b"]);
      expect(rankedPairs([["b", "a"], ["a", "b"]])).toEqual(["a", "b"]);
    });

    it("resolves a Condorcet cycle by skipping the pair that closes it", () => {
      expect(
        rankedPairs([
          ["a", "b", "c"],
          ["b", "c", "a"],
          ["c", "a", "b"],
        ]),
      ).toEqual(["a", "b", "c"]);
    });

    it("follows the majority over the first voter", () => {
      expect(
        rankedPairs([
          ["x", "y", "z"],
          ["y", "x", "z"],
          ["y", "z", "x"],
        ]),
      ).toEqual(["y", "x", "z"]);
    });
  });

  it("matches OA's own sample in ranking.py (ties in two of three head-to-heads)", () => {
    const c5 = "c5181083-d3e9-41e7-a935-83fb9fa01488";
    const dc = "dcf3d179-0f34-4c15-ae21-b8feb15e422d";
    const d1 = "d11705af-5575-43e5-b22e-08d155fbaa62";
    // c5 beats dc 3:1; c5–d1 and d1–dc are 2:2 ties, so the sorted-id order decides them.
    expect(
      rankedPairs([
        [c5, dc, d1],
        [d1, c5, dc],
        [dc, c5, d1],
        [d1, c5, dc],
      ]),
    ).toEqual([c5, d1, dc]);
  });

  it("handles the degenerate inputs without throwing", () => {
    expect(rankedPairs([])).toEqual([]);
    expect(rankedPairs([["only"]])).toEqual(["only"]);
  });

  it("refuses rankings over different ids instead of tallying nonsense", () => {
    expect(() => rankedPairs([["a", "b"], ["a", "c"]])).toThrow(/same ids/);
    expect(() => rankedPairs([["a", "b"], ["a", "b", "c"]])).toThrow(/same ids/);
    expect(() => rankedPairs([["a", "a"]])).toThrow(/twice/);
  });

  describe("properties over seeded random elections", () => {
    it("returns a unanimous ranking unchanged (sizes 2–9, random ids)", () => {
      const random = seededRandom(20240106);
      for (let run = 0; run < 200; run++) {
        const order = randomIds(random, randomInt(random, 2, 9));
        const voters = randomInt(random, 1, 7);
        const rankings = Array.from({ length: voters }, () => [...order]);
        expect(rankedPairs(rankings)).toEqual(order);
      }
    });

    it("always returns a permutation of the ranked ids (200 cases)", () => {
      const random = seededRandom(7);
      for (let run = 0; run < 200; run++) {
        const rankings = randomElection(random);
        const result = rankedPairs(rankings);
        expect(result).toHaveLength(rankings[0]!.length);
        expect([...result].sort()).toEqual([...rankings[0]!].sort());
      }
    });

    it("puts a Condorcet winner first whenever one exists", () => {
      const random = seededRandom(99);
      let electionsWithWinner = 0;
      for (let run = 0; run < 200; run++) {
        const rankings = randomElection(random);
        const winner = condorcetWinner(rankings);
        if (winner === undefined) continue;
        electionsWithWinner++;
        expect(rankedPairs(rankings)[0]).toBe(winner);
      }
      expect(electionsWithWinner).toBeGreaterThan(50);
    });

    it("does not depend on the order in which the votes arrive", () => {
      const random = seededRandom(31337);
      for (let run = 0; run < 100; run++) {
        const rankings = randomElection(random);
        expect(rankedPairs(shuffled(rankings, random))).toEqual(rankedPairs(rankings));
      }
    });
  });
});

describe("consensusForSiblings (OA tree_manager.ranked_pairs_update)", () => {
  it("ranks only the ids every ranker saw and reports that common set", () => {
    const result = consensusForSiblings([
      ["b", "late", "a", "c"],
      ["c", "b", "a"],
      ["b", "a", "c"],
    ]);
    expect(result).not.toBeNull();
    expect(result!.common).toEqual(new Set(["a", "b", "c"]));
    expect(result!.order).toEqual(["b", "a", "c"]);
  });

  it("returns null when fewer than two ids are common to all rankers", () => {
    expect(consensusForSiblings([["a", "b"], ["b", "c"]])).toBeNull();
    expect(consensusForSiblings([["a", "b"], ["c", "d"]])).toBeNull();
    expect(consensusForSiblings([])).toBeNull();
  });

  it("agrees with rankedPairs when every ranker saw the same ids", () => {
    const rankings = [
      ["x", "y", "z"],
      ["y", "x", "z"],
      ["y", "z", "x"],
    ];
    expect(consensusForSiblings(rankings)?.order).toEqual(rankedPairs(rankings));
  });
});
