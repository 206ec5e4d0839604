import { describe, expect, it } from "vitest";
import { scoreGoldAnswer } from "./gold";

describe("scoreGoldAnswer", () => {
  it("counts a yes/no or flag answer right on the expected side of 0.5, a Likert answer within one step", () => {
    const expected = { spam: 1, pii: 0, quality: 0.75, humor: 0 };
    expect(scoreGoldAnswer(expected, { spam: 1, pii: 0, quality: 0.5, humor: 0.5 })).toEqual({ correct: 3, total: 4 });
    expect(scoreGoldAnswer(expected, { spam: 0, pii: 1, quality: 0.25, humor: 0 })).toEqual({ correct: 1, total: 4 });
  });

  it("only scores the expected labels the reviewer answered", () => {
    expect(scoreGoldAnswer({ spam: 0, quality: 1 }, { spam: 0, creativity: 1 })).toEqual({ correct: 1, total: 1 });
    expect(scoreGoldAnswer({ spam: 0 }, {})).toEqual({ correct: 0, total: 0 });
  });
});
