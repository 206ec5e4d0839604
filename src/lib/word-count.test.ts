import { describe, expect, it } from "vitest";
import { countWords } from "./word-count";

describe("countWords", () => {
  it("counts words separated by spaces and punctuation", () => {
    expect(countWords("Hello, world! How are you?")).toBe(5);
    expect(countWords("   ")).toBe(0);
  });

  it("counts Chinese and Japanese words, which have no spaces between them", () => {
    expect(countWords("我喜欢学习中文", "zh")).toBeGreaterThan(1);
    expect(countWords("今日は良い天気です", "ja")).toBeGreaterThan(1);
  });
});
