import { describe, expect, it } from "vitest";
import { bootstrapBradleyTerry, type Comparison, fitBradleyTerry, impliedPairs, seededRandom } from "./bradley-terry";

describe("fitBradleyTerry", () => {
  it("gives the closed-form maximum-likelihood fit for two items: 3 wins of 4 → strength gap ln 3", () => {
    const votes: Comparison[] = [{ winner: "a", loser: "b", weight: 3 }, { winner: "b", loser: "a" }];
    const fit = fitBradleyTerry(["a", "b"], votes, { prior: 0 });
    expect(fit.get("a")! - fit.get("b")!).toBeCloseTo(Math.log(3), 8);
    expect(fit.get("a")! + fit.get("b")!).toBeCloseTo(0, 12);
  });

  it("matches a hand-solved three-item fit: a cycle of equal wins gives equal strengths", () => {
    const votes: Comparison[] = [
      { winner: "a", loser: "b", weight: 2 }, { winner: "b", loser: "a" },
      { winner: "b", loser: "c", weight: 2 }, { winner: "c", loser: "b" },
      { winner: "c", loser: "a", weight: 2 }, { winner: "a", loser: "c" },
    ];
    const fit = fitBradleyTerry(["a", "b", "c"], votes, { prior: 0 });
    for (const value of fit.values()) expect(value).toBeCloseTo(0, 8);
  });

  it("keeps an undefeated reply finite with the prior, and shrinks towards 0 with less evidence", () => {
    const once = fitBradleyTerry(["a", "b"], [{ winner: "a", loser: "b" }]);
    const often = fitBradleyTerry(["a", "b"], [{ winner: "a", loser: "b", weight: 20 }]);
    expect(Number.isFinite(once.get("a")!)).toBe(true);
    expect(often.get("a")!).toBeGreaterThan(once.get("a")!);
  });

  it("turns a ranking into the pairs it implies", () => {
    expect(impliedPairs(["x", "y", "z"])).toEqual([
      { winner: "x", loser: "y" }, { winner: "x", loser: "z" }, { winner: "y", loser: "z" },
    ]);
  });
});

describe("bootstrapBradleyTerry", () => {
  it("recovers known strengths from simulated votes within its intervals", () => {
    const truth = new Map([["m1", 1.2], ["m2", 0.4], ["m3", -0.3], ["m4", -1.3]]);
    const items = [...truth.keys()];
    const random = seededRandom(42);
    const votes: Comparison[][] = [];
    for (let v = 0; v < 3000; v++) {
      const a = items[Math.floor(random() * items.length)]!;
      let b = a;
      while (b === a) b = items[Math.floor(random() * items.length)]!;
      const pA = 1 / (1 + Math.exp(truth.get(b)! - truth.get(a)!));
      votes.push([random() < pA ? { winner: a, loser: b } : { winner: b, loser: a }]);
    }
    // 99 % per model, so that all four intervals hold together with about 96 % probability.
    const fit = bootstrapBradleyTerry(items, votes, { prior: 0.1, samples: 100, seed: 7, level: 0.99 });
    for (const [item, value] of truth) {
      const { lower, upper, strength } = fit.get(item)!;
      expect(lower).toBeLessThanOrEqual(value);
      expect(upper).toBeGreaterThanOrEqual(value);
      expect(lower).toBeLessThan(strength);
      expect(upper).toBeGreaterThan(strength);
      expect(upper - lower).toBeLessThan(0.5);
    }
  });

  it("is reproducible from its seed and gives wider intervals with fewer rankings", () => {
    const rankings = [["a", "b", "c"], ["a", "c", "b"], ["b", "a", "c"]].map(impliedPairs);
    const one = bootstrapBradleyTerry(["a", "b", "c"], rankings, { seed: 3 });
    expect(bootstrapBradleyTerry(["a", "b", "c"], rankings, { seed: 3 })).toEqual(one);
    const more = bootstrapBradleyTerry(["a", "b", "c"], [...rankings, ...rankings, ...rankings, ...rankings], { seed: 3 });
    const width = (fit: typeof one) => fit.get("a")!.upper - fit.get("a")!.lower;
    expect(width(more)).toBeLessThan(width(one));
  });
});
