import type { DbOrTx } from "@/server/db/client";
import { fetchEvents, fetchLabelAverages, type LabelAverages, type MessageEvents } from "./export-extras";
import { type ResolvedExportFilters } from "./export-filters";
import {
  type ExportMessageRow, type ExportShape, type ExportTreeRow, fetchPageMessages, fetchTreePage,
} from "./export-queries";

/** A page of trees with everything the writers need, loaded in a fixed number of queries. */
export type ExportPage = {
  trees: ExportTreeRow[];
  /** Selected messages per tree id, oldest first. */
  messagesByTree: Map<string, ExportMessageRow[]>;
  labels?: Map<string, LabelAverages>;
  events?: Map<string, MessageEvents>;
};

/**
 * Walks the selected trees page by page (keyset on message_tree_id), so memory stays at one page however large
 * the database. Deliberately not one long transaction: on the embedded server a transaction would block every
 * writer for the whole export, and keyset paging already tolerates concurrent inserts.
 */
export async function* exportPages(
  db: DbOrTx,
  filters: ResolvedExportFilters,
  shape: ExportShape,
): AsyncGenerator<ExportPage> {
  let after: string | null = null;
  for (;;) {
    const trees = await fetchTreePage(db, filters, shape, after, filters.pageSize);
    if (trees.length === 0) return;
    const treeIds = trees.map((tree) => tree.messageTreeId);
    const rows = await fetchPageMessages(db, filters, shape, treeIds);
    const messagesByTree = new Map<string, ExportMessageRow[]>();
    for (const row of rows) {
      const list = messagesByTree.get(row.messageTreeId) ?? [];
      list.push(row);
      messagesByTree.set(row.messageTreeId, list);
    }
    yield {
      trees,
      messagesByTree,
      labels: filters.labels ? await fetchLabelAverages(db, treeIds) : undefined,
      events: filters.events ? await fetchEvents(db, treeIds) : undefined,
    };
    if (trees.length < filters.pageSize) return;
    after = treeIds[treeIds.length - 1]!;
  }
}
