import { describe, expect, it } from "vitest";
import { decideRankings, decideReviews } from "./adaptive-reviews";

const settings = { minimum: 3, maxExtra: 2, threshold: 0.75 };

describe("decideReviews", () => {
  it("waits for the minimum, then stops when the reviews agree", () => {
    expect(decideReviews([true, true], settings)).toEqual({ decided: false, wanted: 3, reason: "too_few" });
    expect(decideReviews([true, true, true], settings)).toEqual({ decided: true, wanted: 3, reason: "agree" });
    expect(decideReviews([false, false, false], settings)).toMatchObject({ decided: true, reason: "agree" });
  });

  it("asks for one more at a time while they split, up to the cap", () => {
    // 2 of 3 = 0.67 < 0.75: split.
    expect(decideReviews([true, true, false], settings)).toEqual({ decided: false, wanted: 4, reason: "split" });
    // 3 of 4 = 0.75: agree.
    expect(decideReviews([true, true, false, true], settings)).toEqual({ decided: true, wanted: 4, reason: "agree" });
    expect(decideReviews([true, false, true, false], settings)).toEqual({ decided: false, wanted: 5, reason: "split" });
    expect(decideReviews([true, false, true, false, false], settings)).toEqual({ decided: true, wanted: 5, reason: "exhausted" });
  });

  it("with no extra reviews behaves like the original's fixed count", () => {
    const fixed = { minimum: 3, maxExtra: 0, threshold: 1 };
    expect(decideReviews([true, false, true], fixed)).toMatchObject({ decided: true, reason: "exhausted" });
    expect(decideReviews([true, false], fixed)).toMatchObject({ decided: false });
  });
});

describe("decideRankings", () => {
  const rankingSettings = { minimum: 2, maxExtra: 2, threshold: 0.5 };
  it("stops when the rankers agree and asks for more while the consensus is a coin toss", () => {
    expect(decideRankings([["a", "b"], ["a", "b"]], rankingSettings)).toMatchObject({ decided: true, reason: "agree" });
    expect(decideRankings([["a", "b"], ["b", "a"]], rankingSettings)).toEqual({ decided: false, wanted: 3, reason: "split" });
    expect(decideRankings([["a", "b"], ["b", "a"], ["a", "b"], ["b", "a"]], rankingSettings)).toMatchObject({ decided: true, reason: "exhausted" });
  });
});
