import { createHash, randomBytes } from "node:crypto";
import { apiClients, messages, messageTreeStates, type TreeState } from "@/server/db/schema";
import type { Database, DbOrTx } from "@/server/db/client";
import { isTerminalTreeState, isTreeState } from "@/server/domain/trees/states";
import { type ExportMessageNode, ZExportMessageNode, ZExportMessageTree } from "./oasst-schema";

/** The original importer's well-known API client (spec backend §1.14); imported messages belong to it. */
export const IMPORT_API_CLIENT_ID = "bd8fde8b-1d8e-4e9a-9966-e96d000f8363";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSERT_BATCH = 500;

export type ImportOptions = {
  /** Recorded as the trees' origin (the original used the file name). */
  origin: string;
  /** Trees without a state in the file: this many enter `ranking`, the rest `backlog_ranking` (original default 0). */
  numActivate?: number;
  /** For messages that name no model. */
  modelName?: string;
};

export type ImportLineError = { line: number; reason: string };

export type ImportReport = {
  treesImported: number;
  messagesImported: number;
  /** Trees already in the database (importing a file twice adds nothing). */
  treesSkipped: number;
  errors: ImportLineError[];
};

class LineError extends Error {}

type FlatMessage = { node: ExportMessageNode; parentId: string | null; depth: number };

/** Depth-first walk that checks ids and parent links; a message id seen twice is a cycle or a duplicate. */
function flattenTree(root: ExportMessageNode): FlatMessage[] {
  const seen = new Set<string>();
  const flat: FlatMessage[] = [];
  const stack: FlatMessage[] = [{ node: root, parentId: null, depth: 0 }];
  if (root.parent_id) throw new LineError(`the root message ${root.message_id} has a parent_id (${root.parent_id})`);
  while (stack.length > 0) {
    const item = stack.pop()!;
    const { node } = item;
    if (!UUID.test(node.message_id)) throw new LineError(`message_id "${node.message_id}" is not a UUID`);
    if (seen.has(node.message_id)) throw new LineError(`message ${node.message_id} appears twice (a cycle or a duplicate)`);
    seen.add(node.message_id);
    if (item.parentId && node.parent_id && node.parent_id !== item.parentId) {
      throw new LineError(`message ${node.message_id} says its parent is ${node.parent_id} but is nested under ${item.parentId}`);
    }
    flat.push(item);
    for (const reply of [...(node.replies ?? [])].reverse()) {
      stack.push({ node: reply, parentId: node.message_id, depth: item.depth + 1 });
    }
  }
  return flat;
}

function describeZodError(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "line";
  return `${where}: ${issue.message}`;
}

/** Parses one line into the root of a tree and the state the file gives it (if any). */
function parseLine(text: string): { root: ExportMessageNode; state: string | null; origin: string | null } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LineError(`invalid JSON (${(error as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new LineError("not a JSON object");
  if ("message_tree_id" in json && !("message_id" in json)) {
    const parsed = ZExportMessageTree.safeParse(json);
    if (!parsed.success) throw new LineError(describeZodError(parsed.error));
    const tree = parsed.data;
    if (!tree.prompt) throw new LineError(`tree ${tree.message_tree_id} has no prompt`);
    if (tree.prompt.message_id !== tree.message_tree_id) {
      throw new LineError(`message_tree_id ${tree.message_tree_id} differs from the prompt's message_id ${tree.prompt.message_id}`);
    }
    return { root: tree.prompt, state: tree.tree_state ?? null, origin: tree.origin ?? null };
  }
  if ("message_id" in json) {
    const parsed = ZExportMessageNode.safeParse(json);
    if (!parsed.success) throw new LineError(describeZodError(parsed.error));
    if (parsed.data.parent_id) {
      throw new LineError(`message ${parsed.data.message_id} has parent ${parsed.data.parent_id}, which is not in this line`);
    }
    return { root: parsed.data, state: parsed.data.tree_state ?? null, origin: null };
  }
  throw new LineError("neither a tree (message_tree_id) nor a message (message_id)");
}

export async function ensureImportApiClient(db: DbOrTx): Promise<void> {
  await db
    .insert(apiClients)
    .values({
      id: IMPORT_API_CLIENT_ID,
      // A key nobody knows: the import client never calls the API.
      keyHash: createHash("sha256").update(randomBytes(32)).digest("hex"),
      keyPrefix: "import",
      description: "Dataset import",
      frontendType: "import",
      trusted: true,
    })
    .onConflictDoNothing();
}

/**
 * Imports oasst JSON Lines (trees or message subtrees). Every line is validated; bad lines are reported by number
 * and skipped, and each good tree is written in its own transaction, so nothing is ever half-imported.
 */
export async function importOasstTrees(
  db: Database,
  lines: AsyncIterable<string>,
  options: ImportOptions,
  onProgress?: (report: ImportReport, lineNumber: number) => void,
): Promise<ImportReport> {
  await ensureImportApiClient(db);
  const report: ImportReport = { treesImported: 0, messagesImported: 0, treesSkipped: 0, errors: [] };
  let lineNumber = 0;
  let activated = 0;
  for await (const text of lines) {
    lineNumber++;
    if (text.trim() === "") continue;
    try {
      const { root, state: fileState, origin } = parseLine(text);
      const flat = flattenTree(root);
      let state: TreeState;
      if (fileState !== null) {
        if (!isTreeState(fileState)) throw new LineError(`unknown tree_state "${fileState}"`);
        state = fileState;
      } else if (root.replies === undefined && !("message_tree_id" in root)) {
        state = flat.length > 1 ? "growing" : "initial_prompt_review";
      } else {
        state = activated < (options.numActivate ?? 0) ? "ranking" : "backlog_ranking";
      }
      const inserted = await insertTree(db, flat, state, origin ?? options.origin, options.modelName);
      if (inserted) {
        if (state === "ranking") activated++;
        report.treesImported++;
        report.messagesImported += flat.length;
      } else {
        report.treesSkipped++;
      }
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      report.errors.push({ line: lineNumber, reason: error.message });
    }
    onProgress?.(report, lineNumber);
  }
  return report;
}

/** Writes one tree; false when its root is already present. */
async function insertTree(
  db: Database,
  flat: FlatMessage[],
  state: TreeState,
  origin: string,
  modelName: string | undefined,
): Promise<boolean> {
  const treeId = flat[0]!.node.message_id;
  const liveChildren = new Map<string, number>();
  for (const { node, parentId } of flat) {
    if (parentId && !node.deleted) liveChildren.set(parentId, (liveChildren.get(parentId) ?? 0) + 1);
  }
  const rows = flat.map(({ node, parentId, depth }) => ({
    id: node.message_id,
    parentId,
    messageTreeId: treeId,
    role: node.role,
    apiClientId: IMPORT_API_CLIENT_ID,
    frontendMessageId: node.message_id,
    createdDate: node.created_date ? new Date(node.created_date) : undefined,
    text: node.text,
    lang: node.lang ?? "en",
    depth,
    childrenCount: liveChildren.get(node.message_id) ?? 0,
    deleted: node.deleted ?? false,
    reviewCount: node.review_count ?? 0,
    reviewResult: node.review_result ?? true,
    rank: node.rank ?? null,
    // The original importer treats messages of unknown provenance as machine-generated.
    synthetic: node.synthetic ?? true,
    modelName: node.model_name ?? modelName ?? null,
    emojis: node.emojis ?? {},
  }));
  try {
    return await insertTreeRows(db, rows, treeId, state, origin);
  } catch (error) {
    if ((error as { code?: string }).code === "23505") {
      throw new LineError(`a message of tree ${treeId} already exists in another tree`);
    }
    throw error;
  }
}

async function insertTreeRows(
  db: Database,
  rows: (typeof messages.$inferInsert)[],
  treeId: string,
  state: TreeState,
  origin: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [root] = await tx.insert(messages).values(rows[0]!).onConflictDoNothing().returning({ id: messages.id });
    if (!root) return false;
    for (let i = 1; i < rows.length; i += INSERT_BATCH) {
      await tx.insert(messages).values(rows.slice(i, i + INSERT_BATCH));
    }
    await tx.insert(messageTreeStates).values({
      messageTreeId: treeId,
      goalTreeSize: 0,
      maxDepth: 0,
      maxChildrenCount: 0,
      state,
      active: !isTerminalTreeState(state),
      origin,
      lang: rows[0]!.lang ?? "en",
    });
    return true;
  });
}
