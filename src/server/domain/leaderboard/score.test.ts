import { describe, expect, it } from "vitest";
import {
  LEVEL_THRESHOLDS,
  MAX_LEVEL,
  computeLeaderScore,
  levelForScore,
  pointsToNextLevel,
  type LeaderScoreStats,
} from "./score";

const noActivity: LeaderScoreStats = {
  prompts: 0,
  repliesAssistant: 0,
  repliesPrompter: 0,
  labelsSimple: 0,
  labelsFull: 0,
  rankingsTotal: 0,
  rankingsGood: 0,
  acceptedPrompts: 0,
  acceptedRepliesAssistant: 0,
  acceptedRepliesPrompter: 0,
  replyRanked1: 0,
  replyRanked2: 0,
  replyRanked3: 0,
};

describe("computeLeaderScore (OA models/user_stats.py)", () => {
  it("is 0 without activity", () => {
    expect(computeLeaderScore(noActivity)).toBe(0);
  });

  it.each([
    ["prompts", 10, 1],
    ["repliesAssistant", 10, 40],
    ["repliesPrompter", 10, 10],
    ["labelsSimple", 10, 10],
    ["labelsFull", 10, 20],
    ["rankingsTotal", 10, 10],
    ["rankingsGood", 10, 10],
    ["acceptedPrompts", 10, 1],
    ["acceptedRepliesAssistant", 10, 40],
    ["acceptedRepliesPrompter", 10, 10],
    ["replyRanked1", 10, 90],
    ["replyRanked2", 10, 30],
    ["replyRanked3", 10, 10],
  ] as const)("weighs %s: 10 of them score %i", (field, count, score) => {
    expect(computeLeaderScore({ ...noActivity, [field]: count })).toBe(score);
  });

  it("truncates the tenth of a point per prompt, like Python's int()", () => {
    expect(computeLeaderScore({ ...noActivity, prompts: 9 })).toBe(0);
    expect(computeLeaderScore({ ...noActivity, prompts: 29, acceptedPrompts: 19 })).toBe(2 + 1);
    // Truncated separately: 5 + 5 prompts score 0, not int(0.5 + 0.5) = 1.
    expect(computeLeaderScore({ ...noActivity, prompts: 5, acceptedPrompts: 5 })).toBe(0);
  });

  it("adds everything up for a hand-computed contributor", () => {
    const stats: LeaderScoreStats = {
      prompts: 25, // int(2.5) = 2
      repliesAssistant: 3, // 12
      repliesPrompter: 2, // 2
      labelsSimple: 5, // 5
      labelsFull: 4, // 8
      rankingsTotal: 7, // 7
      rankingsGood: 0, // 0
      acceptedPrompts: 19, // int(1.9) = 1
      acceptedRepliesAssistant: 2, // 8
      acceptedRepliesPrompter: 1, // 1
      replyRanked1: 2, // 18
      replyRanked2: 1, // 3
      replyRanked3: 4, // 4
    };
    expect(computeLeaderScore(stats)).toBe(71);
    expect(levelForScore(71)).toBe(9);
    expect(pointsToNextLevel(71)).toBe(8);
  });
});

describe("levels", () => {
  it("has 100 thresholds starting 0, 4, 9, 16, 24, 32, 42, 53, 65, 79, 93, 109", () => {
    expect(LEVEL_THRESHOLDS).toHaveLength(MAX_LEVEL);
    expect(LEVEL_THRESHOLDS.slice(0, 12)).toEqual([0, 4, 9, 16, 24, 32, 42, 53, 65, 79, 93, 109]);
  });

  it("ends at 6000 = round(Σ_{i=1..99} (1.1521·i + 3)) = round(5999.895)", () => {
    expect(LEVEL_THRESHOLDS.at(-1)).toBe(6000);
  });

  it("never makes a level cheaper than the one before", () => {
    const steps = LEVEL_THRESHOLDS.slice(1).map((threshold, i) => threshold - LEVEL_THRESHOLDS[i]!);
    steps.slice(1).forEach((step, i) => expect(step).toBeGreaterThanOrEqual(steps[i]!));
    expect(steps.every((step) => step > 0)).toBe(true);
  });

  it("counts the thresholds reached: level 1 at 0 points, level 100 from 6000 on", () => {
    expect(levelForScore(0)).toBe(1);
    expect(levelForScore(3)).toBe(1);
    expect(levelForScore(4)).toBe(2);
    expect(levelForScore(108)).toBe(11);
    expect(levelForScore(109)).toBe(12);
    expect(levelForScore(5999)).toBe(99);
    expect(levelForScore(6000)).toBe(100);
    expect(levelForScore(1_000_000)).toBe(100);
  });

  it("reaches level n+1 exactly at threshold n", () => {
    LEVEL_THRESHOLDS.forEach((threshold, n) => {
      expect(levelForScore(threshold)).toBe(n + 1);
      if (n > 0) expect(levelForScore(threshold - 1)).toBe(n);
    });
  });

  it("tells how many points the next level needs, and null at the top", () => {
    expect(pointsToNextLevel(0)).toBe(4);
    expect(pointsToNextLevel(4)).toBe(5);
    expect(pointsToNextLevel(100)).toBe(9);
    expect(pointsToNextLevel(6000)).toBeNull();
  });

  it("cannot be changed at runtime", () => {
    expect(Object.isFrozen(LEVEL_THRESHOLDS)).toBe(true);
  });
});
