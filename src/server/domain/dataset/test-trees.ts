import { anonymizedUuid } from "./anonymizer";
import { type ExportMessageNode, type ExportMessageTree } from "./oasst-schema";

/** Helpers for the dataset tests: readable names become stable UUIDs, trees are written as oasst lines. */

export function idOf(name: string): string {
  return anonymizedUuid("message", name, "dataset-tests");
}

type NodeSpec = Partial<Omit<ExportMessageNode, "message_id" | "replies" | "role" | "text">>;

/** A message named `name` (its text is the name too) with nested replies. */
export function msg(
  name: string,
  role: ExportMessageNode["role"],
  fields: NodeSpec = {},
  replies: ExportMessageNode[] = [],
): ExportMessageNode {
  return { message_id: idOf(name), text: name, role, review_count: 3, review_result: true, synthetic: false, ...fields, replies };
}

export function tree(prompt: ExportMessageNode, fields: Partial<ExportMessageTree> = {}): ExportMessageTree {
  return { message_tree_id: prompt.message_id, tree_state: "ready_for_export", prompt, ...fields };
}

export async function* linesOf(...items: (object | string)[]): AsyncGenerator<string> {
  for (const item of items) yield typeof item === "string" ? item : JSON.stringify(item);
}

export async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const result: string[] = [];
  for await (const line of lines) result.push(line);
  return result;
}

export function parseLines<T>(lines: string[]): T[] {
  return lines.map((line) => JSON.parse(line) as T);
}
