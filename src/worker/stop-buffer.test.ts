import { describe, expect, it } from "vitest";
import { StopSequenceBuffer } from "./stop-buffer";

function run(stops: string[], pieces: string[]) {
  const buffer = new StopSequenceBuffer(stops);
  let text = "";
  for (const piece of pieces) {
    const { emit, stopped } = buffer.push(piece);
    text += emit;
    if (stopped) return { text, stopped: true };
  }
  return { text: text + buffer.flush(), stopped: false };
}

describe("StopSequenceBuffer", () => {
  it("passes text through when there are no stop sequences", () => {
    expect(run([], ["a", "b"])).toEqual({ text: "ab", stopped: false });
  });

  it("cuts at a stop sequence split over several pieces and never shows part of it", () => {
    const buffer = new StopSequenceBuffer(["<|prompter|>"]);
    expect(buffer.push("Sure.<|pro")).toEqual({ emit: "Sure.", stopped: false });
    expect(buffer.push("mpt")).toEqual({ emit: "", stopped: false });
    expect(buffer.push("er|>Next")).toEqual({ emit: "", stopped: true });
  });

  it("releases held text that turned out not to be a stop sequence", () => {
    expect(run(["</s>"], ["a <", "/b> c"])).toEqual({ text: "a </b> c", stopped: false });
    expect(run(["</s>"], ["ends with <"])).toEqual({ text: "ends with <", stopped: false });
  });

  it("stops at the earliest of several stop sequences", () => {
    expect(run(["<|assistant|>", "</s>"], ["x</s>y<|assistant|>"])).toEqual({ text: "x", stopped: true });
  });
});
