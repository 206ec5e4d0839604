import type { DbOrTx } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { createAnonymizer } from "./anonymizer";
import { type ExportFilters, messageOnlyFilters, resolveExportFilters, type ResolvedExportFilters } from "./export-filters";
import { childrenByParent } from "./export-node";
import { exportPages } from "./export-pages";
import { type ExportMessageRow } from "./export-queries";
import { type ExportHooks } from "./export-trees";

/** One turn of a training conversation, in the role names chat models are trained with. */
export type ChatTurn = { role: "user" | "assistant"; content: string };

export type SftThread = { thread_id: string; messages: ChatTurn[]; lang: string; message_tree_id: string };

export function toChatTurn(row: Pick<ExportMessageRow, "role" | "text">): ChatTurn {
  return { role: row.role === "prompter" ? "user" : "assistant", content: row.text };
}

/**
 * Training data only ever sees accepted, live messages, whatever the caller asked for; tree, language, date,
 * synthetic and limit filters still apply.
 */
export function trainingFilters(input: ExportFilters): ResolvedExportFilters {
  const rejected = messageOnlyFilters(input);
  if (rejected.length > 0) throw new AppError("INVALID_INPUT", `${rejected.join(", ")} cannot be used for training exports`);
  return { ...resolveExportFilters(input), spam: "exclude", deleted: "exclude", promptsOnly: false };
}

/**
 * Every root-to-leaf path of a tree, cut back to its last assistant reply (a thread ending in an unanswered user
 * turn teaches nothing). Cutting can make two paths equal; each thread is kept once, named by its last message.
 */
export function threadsOfTree(rows: ExportMessageRow[], treeId: string): ExportMessageRow[][] {
  const root = rows.find((row) => row.id === treeId);
  if (!root) return [];
  const children = childrenByParent(rows);
  const threads: ExportMessageRow[][] = [];
  const seen = new Set<string>();
  const walk = (path: ExportMessageRow[]) => {
    const replies = children.get(path[path.length - 1]!.id) ?? [];
    if (replies.length > 0) {
      for (const reply of replies) walk([...path, reply]);
      return;
    }
    let end = path.length;
    while (end > 0 && path[end - 1]!.role !== "assistant") end--;
    const last = path[end - 1];
    if (!last || seen.has(last.id)) return;
    seen.add(last.id);
    threads.push(path.slice(0, end));
  };
  walk([root]);
  return threads;
}

/** SFT JSON Lines: `{thread_id, messages: [{role, content}], lang, message_tree_id}`; `limit` counts threads. */
export async function* exportSftThreads(db: DbOrTx, input: ExportFilters = {}, hooks: ExportHooks = {}): AsyncGenerator<string> {
  const filters = trainingFilters(input);
  const anonymizer = createAnonymizer(filters.anonymizerSeed);
  const limit = filters.limit ?? Number.POSITIVE_INFINITY;
  if (limit === 0) return;
  let written = 0;
  let read = 0;
  for await (const page of exportPages(db, filters, "trees")) {
    for (const tree of page.trees) {
      const rows = page.messagesByTree.get(tree.messageTreeId) ?? [];
      for (const thread of threadsOfTree(rows, tree.messageTreeId)) {
        const line: SftThread = {
          thread_id: anonymizer.message(thread[thread.length - 1]!.id),
          messages: thread.map(toChatTurn),
          lang: thread[0]!.lang,
          message_tree_id: anonymizer.message(tree.messageTreeId),
        };
        yield JSON.stringify(line);
        if (++written >= limit) return;
      }
    }
    read += page.trees.length;
    hooks.onTrees?.(read);
  }
}
