import type { DbOrTx } from "@/server/db/client";
import {
  fetchEvents, fetchLabelAverages, fetchStrengths, type LabelAverages, type MessageEvents, type ReplyStrength,
} from "./export-extras";
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
  strengths: Map<string, ReplyStrength>;
};

async function loadPage(
  db: DbOrTx,
  filters: ResolvedExportFilters,
  shape: ExportShape,
  after: string | null,
): Promise<ExportPage & { lastScanned: string | null }> {
  const { trees, lastScanned } = await fetchTreePage(db, filters, shape, after, filters.pageSize);
  const treeIds = trees.map((tree) => tree.messageTreeId);
  const rows = await fetchPageMessages(db, filters, shape, treeIds);
  const messagesByTree = new Map<string, ExportMessageRow[]>();
  for (const row of rows) {
    const list = messagesByTree.get(row.messageTreeId) ?? [];
    list.push(row);
    messagesByTree.set(row.messageTreeId, list);
  }
  return {
    trees,
    lastScanned,
    messagesByTree,
    labels: filters.labels && treeIds.length > 0 ? await fetchLabelAverages(db, treeIds) : undefined,
    events: filters.events && treeIds.length > 0 ? await fetchEvents(db, treeIds) : undefined,
    strengths: await fetchStrengths(db, treeIds),
  };
}

/**
 * Walks the selected trees page by page (keyset on message_tree_id), so memory stays at two pages however large
 * the database: the next page is read while the caller writes the current one. Deliberately not one long
 * transaction: on the embedded server a transaction would block every writer for the whole export, and keyset
 * paging already tolerates concurrent inserts.
 */
export async function* exportPages(
  db: DbOrTx,
  filters: ResolvedExportFilters,
  shape: ExportShape,
): AsyncGenerator<ExportPage> {
  let next: Promise<ExportPage & { lastScanned: string | null }> | null = loadPage(db, filters, shape, null);
  try {
    while (next) {
      const page: ExportPage & { lastScanned: string | null } = await next;
      next = page.lastScanned === null ? null : loadPage(db, filters, shape, page.lastScanned);
      if (page.trees.length > 0) yield page;
    }
  } finally {
    // A caller that stops early (a limit) leaves the prefetched page unread; its failure must not go unhandled.
    next?.catch(() => undefined);
  }
}
