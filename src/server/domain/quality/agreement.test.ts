import { describe, expect, it } from "vitest";
import { consensusMargin, kendallW, krippendorffAlpha, pairwiseVotes, wilsonLowerBound } from "./agreement";

/**
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 coders, 12 units, missing
 * values. Published: nominal α = 0.743, interval α = 0.849 (also the reference values of the `krippendorff`
 * Python package's tests).
 */
const CODERS: (number | null)[][] = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];
const UNITS = CODERS[0]!.map((_, unit) => CODERS.map((coder) => coder[unit]).filter((value): value is number => value !== null));

describe("krippendorffAlpha", () => {
  it("reproduces Krippendorff's published example: nominal 0.743, interval 0.849", () => {
    const nominal = krippendorffAlpha(UNITS, "nominal");
    expect(nominal.alpha).toBeCloseTo(0.743, 3);
    // Unit 12 has a single value and is not pairable.
    expect(nominal).toMatchObject({ units: 11, values: 40 });
    expect(krippendorffAlpha(UNITS, "interval").alpha).toBeCloseTo(0.849, 3);
  });

  it("matches a hand computation: two coders, three yes/no units, one disagreement", () => {
    // Values 1,1 | 0,0 | 1,0: n = 6, D_o = (0 + 0 + 2/1)/6 = 1/3; three 1s, three 0s: D_e = (36 − 9 − 9)/30 = 3/5;
    // α = 1 − (1/3)/(3/5) = 4/9.
    expect(krippendorffAlpha([[1, 1], [0, 0], [1, 0]], "nominal").alpha).toBeCloseTo(4 / 9, 12);
  });

  it("is 1 for perfect agreement, undefined without variation or pairable values, negative for systematic disagreement", () => {
    expect(krippendorffAlpha([[1, 1], [0, 0, 0]], "nominal").alpha).toBe(1);
    expect(krippendorffAlpha([[1, 1], [1, 1]], "nominal").alpha).toBeNull();
    expect(krippendorffAlpha([[1], [0]], "interval")).toEqual({ alpha: null, units: 0, values: 0 });
    expect(krippendorffAlpha([[1, 0], [0, 1]], "nominal").alpha!).toBeLessThan(0);
  });
});

describe("kendallW", () => {
  it("is 1 when every ranker agrees and 0 when two rankers are exact opposites", () => {
    expect(kendallW([["a", "b", "c"], ["a", "b", "c"], ["a", "b", "c"]])).toBeCloseTo(1, 12);
    expect(kendallW([["a", "b", "c"], ["c", "b", "a"]])).toBeCloseTo(0, 12);
  });

  it("matches a hand computation", () => {
    // Rank sums a = 1+1+2 = 4, b = 2+3+1 = 6, c = 3+2+3 = 8; mean 6; S = 4 + 0 + 4 = 8; W = 96 / (9 · 24) = 4/9.
    expect(kendallW([["a", "b", "c"], ["a", "c", "b"], ["b", "a", "c"]])).toBeCloseTo(4 / 9, 12);
  });

  it("compares only the replies every ranking contains, and needs two rankings of two replies", () => {
    expect(kendallW([["a", "b", "x"], ["a", "b"]])).toBeCloseTo(1, 12);
    expect(kendallW([["a", "b"]])).toBeNull();
    expect(kendallW([["a"], ["a"]])).toBeNull();
  });
});

describe("consensusMargin and pairwiseVotes", () => {
  it("counts pair votes and takes the weakest adjacent step of the consensus", () => {
    const rankings = [["a", "b", "c"], ["a", "c", "b"], ["a", "b", "c"], ["b", "a", "c"]];
    expect(pairwiseVotes(rankings, "a", "b")).toEqual({ ab: 3, ba: 1 });
    // a>b: (3 − 1)/4 = 0.5; b>c: (3 − 1)/4 = 0.5.
    expect(consensusMargin(["a", "b", "c"], rankings)).toBeCloseTo(0.5, 12);
    expect(consensusMargin(["a", "b"], [["a", "b"], ["b", "a"]])).toBe(0);
    expect(consensusMargin(["a"], [["a"]])).toBeNull();
  });
});

describe("wilsonLowerBound", () => {
  it("matches hand-computed values at 95 %", () => {
    // p = 1, n = 3: (1 + z²/6 − z·sqrt(z²/36)) / (1 + z²/3) = 1 / (1 + 3.8415/3) = 0.43850.
    expect(wilsonLowerBound(3, 3)).toBeCloseTo(0.4385, 4);
    // p = 0.95, n = 100: 0.88825 (Wilson interval 0.8882–0.9785).
    expect(wilsonLowerBound(95, 100)).toBeCloseTo(0.8882, 4);
    expect(wilsonLowerBound(0, 10)).toBe(0);
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });

  it("ranks a long good record above a short perfect one", () => {
    expect(wilsonLowerBound(90, 100)).toBeGreaterThan(wilsonLowerBound(3, 3));
  });
});
