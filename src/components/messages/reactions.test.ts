import { describe, expect, it } from "vitest";
import { applyVote, showsVoteCounts } from "./reactions";

describe("applyVote", () => {
  it("toggles a vote on and off", () => {
    const on = applyVote({ emojis: { "+1": 2 }, userEmojis: [] }, "+1");
    expect(on).toEqual({ emojis: { "+1": 3 }, userEmojis: ["+1"] });
    expect(applyVote(on, "+1")).toEqual({ emojis: { "+1": 2 }, userEmojis: [] });
  });

  it("replaces the opposite vote and drops counts that reach zero", () => {
    expect(applyVote({ emojis: { "-1": 1, red_flag: 1 }, userEmojis: ["-1", "red_flag"] }, "+1")).toEqual({
      emojis: { "+1": 1, red_flag: 1 },
      userEmojis: ["red_flag", "+1"],
    });
  });
});

describe("showsVoteCounts", () => {
  it("hides counts until the user voted, except for authors and moderators", () => {
    expect(showsVoteCounts({ userIsAuthor: false, userEmojis: [] }, false)).toBe(false);
    expect(showsVoteCounts({ userIsAuthor: false, userEmojis: ["red_flag"] }, false)).toBe(false);
    expect(showsVoteCounts({ userIsAuthor: false, userEmojis: ["-1"] }, false)).toBe(true);
    expect(showsVoteCounts({ userIsAuthor: true, userEmojis: [] }, false)).toBe(true);
    expect(showsVoteCounts({ userIsAuthor: false, userEmojis: [] }, true)).toBe(true);
  });
});
