import { createHash, randomBytes } from "node:crypto";
import { TransactionRollbackError } from "drizzle-orm";
import type { Database, DbOrTx } from "@/server/db/client";
import { apiClients, type TreeState } from "@/server/db/schema";
import { type ImportUnit, LineError, parseImportLine } from "./import-parse";
import { IMPORT_API_CLIENT_ID, writeUnit } from "./import-write";

export { IMPORT_API_CLIENT_ID } from "./import-write";

/**
 * Importer for oasst JSON Lines (port of OA `backend/import.py`, spec backend §6.3), completed: every line is
 * validated and bad lines are reported by number and skipped; each tree (or message line) is written in its own
 * transaction, so nothing is ever half-imported; ranks, emojis, review results, deletion flags, dates and known
 * authors are kept (the original dropped them, §8.11). Label averages and ranking events are not imported:
 * they cannot be attributed to a reviewer or a ranking task.
 */
export type ImportOptions = {
  /** Origin of trees whose line names none (the original used the file name). */
  origin: string;
  /** Trees without a state in the file: this many enter `ranking`, the rest `backlog_ranking` (original default 0). */
  numActivate?: number;
  /** For messages that name no model. */
  modelName?: string;
  /** Validate and write everything, then roll it all back. */
  dryRun?: boolean;
};

export type ImportLineError = { line: number; reason: string };

export type ImportReport = {
  treesImported: number;
  messagesImported: number;
  /** Trees (or root message lines) already in the database: importing a file twice adds nothing. */
  treesSkipped: number;
  /** Reply lines already in the database. */
  messagesSkipped: number;
  /** The first MAX_REPORTED_ERRORS bad lines; `errorCount` counts them all. */
  errors: ImportLineError[];
  errorCount: number;
  linesRead: number;
  dryRun: boolean;
};

export const MAX_REPORTED_ERRORS = 1000;

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

/** Imports trees or message lines from `lines` into `db`; see ImportOptions. */
export async function importOasstTrees(
  db: Database,
  lines: AsyncIterable<string> | Iterable<string>,
  options: ImportOptions,
  onProgress?: (report: ImportReport, lineNumber: number) => void,
): Promise<ImportReport> {
  if (!options.dryRun) return importInto(db, lines, options, onProgress);
  let report: ImportReport | undefined;
  try {
    // One outer transaction rolled back at the end; each line still gets its own savepoint, and later lines
    // see earlier ones (a reply line finds its parent) exactly as in a real import.
    await db.transaction(async (tx) => {
      report = await importInto(tx, lines, options, onProgress);
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error;
  }
  return report!;
}

async function importInto(
  db: DbOrTx,
  lines: AsyncIterable<string> | Iterable<string>,
  options: ImportOptions,
  onProgress?: (report: ImportReport, lineNumber: number) => void,
): Promise<ImportReport> {
  await ensureImportApiClient(db);
  const report: ImportReport = {
    treesImported: 0,
    messagesImported: 0,
    treesSkipped: 0,
    messagesSkipped: 0,
    errors: [],
    errorCount: 0,
    linesRead: 0,
    dryRun: options.dryRun ?? false,
  };
  let activated = 0;
  // The original importer's rule (import.py): trees enter `ranking` up to --num_activate, the rest wait in
  // `backlog_ranking`; a lone message becomes a tree the way `ensure_tree_states` would make it.
  const stateOf = (unit: ImportUnit): TreeState => {
    if (unit.state) return unit.state;
    if (unit.kind === "message") return unit.messages.length > 1 ? "growing" : "initial_prompt_review";
    return activated < (options.numActivate ?? 0) ? "ranking" : "backlog_ranking";
  };
  for await (const text of lines) {
    const lineNumber = ++report.linesRead;
    if (text.trim() === "") continue;
    try {
      const unit = parseImportLine(text);
      const result = await db.transaction((tx) => writeUnit(tx, unit, { state: stateOf, origin: options.origin, modelName: options.modelName }));
      if (result.status === "skipped") {
        if (unit.externalParentId) report.messagesSkipped++;
        else report.treesSkipped++;
      } else {
        report.messagesImported += result.messages;
        if (result.newTree) report.treesImported++;
        if (result.newTree === "ranking" && !unit.state) activated++;
      }
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      report.errorCount++;
      if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ line: lineNumber, reason: error.message });
    }
    onProgress?.(report, lineNumber);
  }
  return report;
}
