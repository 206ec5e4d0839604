import type { DbOrTx } from "@/server/db/client";
import { createAnonymizer } from "./anonymizer";
import { type ExportFilters, resolveExportFilters } from "./export-filters";
import { depthFirst, toExportNode } from "./export-node";
import { exportPages } from "./export-pages";
import { type ExportHooks } from "./export-trees";

/**
 * Flat ExportMessageNode JSON Lines (OA `backend/export.py` message-list mode, used there for `--user`,
 * `--deleted-only`, `--spam-only`, `--synthetic-only`): one message per line, no nested replies. Each row also
 * names its `message_tree_id` and `tree_state` like the HF dataset rows, and parents come before their replies,
 * so the file can be imported again. `limit` counts messages.
 */
export async function* exportMessages(
  db: DbOrTx,
  input: ExportFilters = {},
  hooks: ExportHooks = {},
): AsyncGenerator<string> {
  const filters = resolveExportFilters(input);
  const anonymizer = createAnonymizer(filters.anonymizerSeed);
  const limit = filters.limit ?? Number.POSITIVE_INFINITY;
  if (limit === 0) return;
  let written = 0;
  let read = 0;
  for await (const page of exportPages(db, filters, "messages")) {
    const context = { anonymizer, labels: page.labels, events: page.events, strengths: page.strengths };
    for (const tree of page.trees) {
      for (const row of depthFirst(page.messagesByTree.get(tree.messageTreeId) ?? [])) {
        yield JSON.stringify(toExportNode(row, context, { treeState: tree.state }));
        if (++written >= limit) return;
      }
    }
    read += page.trees.length;
    hooks.onTrees?.(read);
  }
}
