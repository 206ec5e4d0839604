import type { DbOrTx } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { createAnonymizer } from "./anonymizer";
import { type ExportFilters, messageOnlyFilters, type ResolvedExportFilters, resolveExportFilters } from "./export-filters";
import { buildNestedNode, childrenByParent, withoutNulls } from "./export-node";
import { exportPages } from "./export-pages";
import { treeLine, treeLinePages } from "./export-tree-lines";
import { type ExportMessageTree } from "./oasst-schema";

/** Progress callbacks shared by the exporters: trees read so far (the CLI's progress bar counts these). */
export type ExportHooks = { onTrees?: (treesRead: number) => void };

/**
 * ExportMessageTree JSON Lines (OA `backend/export.py` tree mode): one line per tree, the prompt with its replies
 * nested, sorted by rank. Messages the filters drop take their subtrees with them. `origin` is written too (the
 * original never exported it, spec §8.11).
 */
export async function* exportTrees(db: DbOrTx, input: ExportFilters = {}, hooks: ExportHooks = {}): AsyncGenerator<string> {
  const filters = treeFilters(input);
  const anonymizer = createAnonymizer(filters.anonymizerSeed);
  const limit = filters.limit ?? Number.POSITIVE_INFINITY;
  if (limit === 0) return;
  let written = 0;
  let read = 0;
  // PostgreSQL writes each message's JSON fields and JS nests them (export-tree-lines.ts).
  for await (const page of treeLinePages(db, filters)) {
    for (const tree of page.trees) {
      const line = treeLine(tree, page, anonymizer, filters.promptsOnly);
      if (line === null) continue;
      yield line;
      if (++written >= limit) return;
    }
    read += page.trees.length;
    hooks.onTrees?.(read);
  }
}

function treeFilters(input: ExportFilters): ResolvedExportFilters {
  const rejected = messageOnlyFilters(input);
  if (rejected.length > 0) {
    throw new AppError("INVALID_INPUT", `${rejected.join(", ")} select single messages: export them as messages, not trees`);
  }
  const filters = resolveExportFilters(input);
  // Never read more trees than the limit can still use.
  return { ...filters, pageSize: Math.min(filters.pageSize, Math.max(1, filters.limit ?? Number.POSITIVE_INFINITY)) };
}

/**
 * The same lines built the general way (ExportMessageNode objects from export-node.ts, then JSON.stringify), as
 * the other formats build theirs: the reference the fast path is tested against (export-tree-lines.int.test.ts).
 */
export async function* exportTreesAsObjects(db: DbOrTx, input: ExportFilters = {}): AsyncGenerator<string> {
  const filters = treeFilters(input);
  const anonymizer = createAnonymizer(filters.anonymizerSeed);
  const limit = filters.limit ?? Number.POSITIVE_INFINITY;
  if (limit === 0) return;
  let written = 0;
  for await (const page of exportPages(db, filters, "trees")) {
    for (const tree of page.trees) {
      const rows = page.messagesByTree.get(tree.messageTreeId) ?? [];
      const rootRow = rows.find((row) => row.id === tree.messageTreeId);
      if (!rootRow) continue;
      const prompt = buildNestedNode(rootRow, filters.promptsOnly ? new Map() : childrenByParent(rows), {
        anonymizer,
        labels: page.labels,
        strengths: page.strengths,
        events: page.events,
      });
      // With --prompts-only the original set `replies = None`, which exclude_none drops.
      if (filters.promptsOnly) delete prompt.replies;
      const line: ExportMessageTree = withoutNulls({
        message_tree_id: anonymizer.message(tree.messageTreeId),
        tree_state: tree.state,
        prompt,
        origin: tree.origin,
      });
      yield JSON.stringify(line);
      if (++written >= limit) return;
    }
  }
}
