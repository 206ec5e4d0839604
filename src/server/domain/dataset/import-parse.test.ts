import { describe, expect, it } from "vitest";
import { LineError, parseImportLine } from "./import-parse";
import { idOf, msg, tree } from "./test-trees";

function reason(line: unknown): string {
  try {
    parseImportLine(typeof line === "string" ? line : JSON.stringify(line));
  } catch (error) {
    if (error instanceof LineError) return error.message;
    throw error;
  }
  throw new Error("the line was accepted");
}

describe("parseImportLine", () => {
  it("flattens a tree depth-first with parents and depths", () => {
    const unit = parseImportLine(JSON.stringify(tree(msg("r", "prompter", {}, [msg("a", "assistant", {}, [msg("p", "prompter")]), msg("b", "assistant")]))));
    expect(unit).toMatchObject({ kind: "tree", state: "ready_for_export", externalParentId: null });
    expect(unit.messages.map((m) => [m.node.text, m.parentId, m.depth])).toEqual([
      ["r", null, 0],
      ["a", idOf("r"), 1],
      ["p", idOf("a"), 2],
      ["b", idOf("r"), 1],
    ]);
  });

  it("reads a flat dataset row as a reply to an existing message", () => {
    const row = { ...msg("a", "assistant"), replies: undefined, parent_id: idOf("r"), message_tree_id: idOf("r"), tree_state: "growing" };
    expect(parseImportLine(JSON.stringify(row))).toMatchObject({ kind: "message", externalParentId: idOf("r"), treeId: idOf("r"), state: null });
  });

  it("reads emojis and labels of HF dataset rows, stored as parallel arrays", () => {
    const row = { ...msg("r", "prompter"), emojis: { name: ["+1", "_skip_reply"], count: [3, 1] }, labels: { name: ["spam"], value: [0.5], count: [2] } };
    const [top] = parseImportLine(JSON.stringify(row)).messages;
    expect(top?.node.emojis).toEqual({ "+1": 3, _skip_reply: 1 });
    expect(top?.node.labels).toEqual({ spam: { value: 0.5, count: 2 } });
  });

  it("explains what is wrong with a line", () => {
    expect(reason("{")).toMatch(/^invalid JSON/);
    expect(reason("42")).toBe("not a JSON object");
    expect(reason({ text: "x" })).toBe("neither a tree (message_tree_id) nor a message (message_id)");
    expect(reason({ ...msg("x", "prompter"), message_id: "x" })).toBe('message_id "x" is not a UUID');
    expect(reason({ ...msg("x", "prompter"), role: "system" })).toMatch(/^role: /);
    expect(reason({ ...msg("x", "prompter"), parent_id: idOf("x") })).toMatch(/its own parent/);
    expect(reason({ ...msg("x", "prompter"), message_tree_id: idOf("y") })).toMatch(/must be its own id/);
    expect(reason({ message_tree_id: idOf("x") })).toMatch(/has no prompt/);
    expect(reason(tree(msg("x", "prompter", { parent_id: idOf("y") })))).toMatch(/has a parent_id/);
    expect(reason(tree(msg("x", "prompter", {}, [{ ...msg("a", "assistant"), parent_id: idOf("z") }])))).toMatch(/nested under/);
  });
});
