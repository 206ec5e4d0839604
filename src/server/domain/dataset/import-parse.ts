import { type TreeState } from "@/server/db/schema";
import { isTreeState } from "@/server/domain/trees/states";
import { type ExportMessageNode, ZExportMessageNode, ZExportMessageTree } from "./oasst-schema";

/** A problem with one input line; the importer reports it with the line number and goes on. */
export class LineError extends Error {}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A message of a line with its parent (null for a tree's prompt) and its depth below the line's top message. */
export type FlatMessage = { node: ExportMessageNode; parentId: string | null; depth: number };

/**
 * What one line asks to import: a whole tree (ExportMessageTree) or a message with any nested replies
 * (ExportMessageNode). A message line may hang below a message already in the database (`externalParentId`).
 */
export type ImportUnit = {
  kind: "tree" | "message";
  /** Depth-first, parents before replies; the first is the line's top message. */
  messages: FlatMessage[];
  externalParentId: string | null;
  /** A message line's `message_tree_id` (flat dataset rows), checked against its parent's tree. */
  treeId: string | null;
  state: TreeState | null;
  origin: string | null;
};

function describeZodError(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "line";
  return `${where}: ${issue.message}`;
}

/** Depth-first walk that checks ids and parent links; a message id seen twice is a cycle or a duplicate. */
function flatten(top: ExportMessageNode, topParentId: string | null): FlatMessage[] {
  const seen = new Set<string>();
  const flat: FlatMessage[] = [];
  const stack: FlatMessage[] = [{ node: top, parentId: topParentId, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const { node } = item;
    if (!UUID_PATTERN.test(node.message_id)) throw new LineError(`message_id "${node.message_id}" is not a UUID`);
    if (seen.has(node.message_id)) throw new LineError(`message ${node.message_id} appears twice (a cycle or a duplicate)`);
    seen.add(node.message_id);
    if (item.depth > 0 && node.parent_id && node.parent_id !== item.parentId) {
      throw new LineError(`message ${node.message_id} says its parent is ${node.parent_id} but is nested under ${item.parentId}`);
    }
    flat.push(item);
    const replies = node.replies ?? [];
    for (let i = replies.length - 1; i >= 0; i--) {
      stack.push({ node: replies[i]!, parentId: node.message_id, depth: item.depth + 1 });
    }
  }
  if (topParentId && seen.has(topParentId)) {
    throw new LineError(`message ${top.message_id} has parent ${topParentId}, which is one of its own replies (a cycle)`);
  }
  return flat;
}

function parseState(value: string | null | undefined): TreeState | null {
  if (value === null || value === undefined) return null;
  if (!isTreeState(value)) throw new LineError(`unknown tree_state "${value}"`);
  return value;
}

function parseJsonObject(text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LineError(`invalid JSON (${(error as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new LineError("not a JSON object");
  return json as Record<string, unknown>;
}

/**
 * HF dataset rows (OpenAssistant/oasst1) store emojis and labels as parallel arrays (`{name: [], count: []}`,
 * read back by OA `oasst_data/reader.py`); turn them into the export format's maps.
 */
function normalizeDatasetRow(json: Record<string, unknown>): Record<string, unknown> {
  const columns = (value: unknown) => value as { name?: unknown; count?: unknown; value?: unknown } | null | undefined;
  const emojis = columns(json.emojis);
  const labels = columns(json.labels);
  const result = { ...json };
  if (emojis && Array.isArray(emojis.name) && Array.isArray(emojis.count)) {
    const counts = emojis.count as unknown[];
    result.emojis = Object.fromEntries((emojis.name as unknown[]).map((name, i) => [String(name), counts[i]]));
  }
  if (labels && Array.isArray(labels.name) && Array.isArray(labels.count)) {
    const [counts, values] = [labels.count as unknown[], Array.isArray(labels.value) ? (labels.value as unknown[]) : []];
    result.labels = Object.fromEntries((labels.name as unknown[]).map((name, i) => [String(name), { value: values[i] ?? null, count: counts[i] }]));
  }
  return result;
}

/** Parses and validates one line; throws LineError with a reason a person can act on. */
export function parseImportLine(text: string): ImportUnit {
  const json = normalizeDatasetRow(parseJsonObject(text));
  // `message_id` marks a node (flat dataset rows carry a message_tree_id too); otherwise `message_tree_id` a tree.
  if ("message_id" in json) {
    const parsed = ZExportMessageNode.safeParse(json);
    if (!parsed.success) throw new LineError(describeZodError(parsed.error));
    const node = parsed.data;
    const parentId = node.parent_id ?? null;
    if (parentId === node.message_id) throw new LineError(`message ${node.message_id} is its own parent (a cycle)`);
    if (parentId && !UUID_PATTERN.test(parentId)) throw new LineError(`parent_id "${parentId}" is not a UUID`);
    const treeId = node.message_tree_id ?? null;
    if (!parentId && treeId && treeId !== node.message_id) {
      throw new LineError(`message ${node.message_id} has no parent, so its message_tree_id must be its own id, not ${treeId}`);
    }
    return {
      kind: "message",
      messages: flatten(node, parentId),
      externalParentId: parentId,
      treeId,
      state: parentId ? null : parseState(node.tree_state),
      origin: null,
    };
  }
  if ("message_tree_id" in json) {
    const parsed = ZExportMessageTree.safeParse(json);
    if (!parsed.success) throw new LineError(describeZodError(parsed.error));
    const tree = parsed.data;
    if (!tree.prompt) throw new LineError(`tree ${tree.message_tree_id} has no prompt`);
    if (tree.prompt.message_id !== tree.message_tree_id) {
      throw new LineError(`message_tree_id ${tree.message_tree_id} differs from the prompt's message_id ${tree.prompt.message_id}`);
    }
    if (tree.prompt.parent_id) {
      throw new LineError(`the prompt ${tree.prompt.message_id} has a parent_id (${tree.prompt.parent_id})`);
    }
    return {
      kind: "tree",
      messages: flatten(tree.prompt, null),
      externalParentId: null,
      treeId: tree.message_tree_id,
      state: parseState(tree.tree_state),
      origin: tree.origin ?? null,
    };
  }
  throw new LineError("neither a tree (message_tree_id) nor a message (message_id)");
}
