import { createHash, randomBytes } from "node:crypto";
import { sql, TransactionRollbackError } from "drizzle-orm";
import type { Database, DbOrTx } from "@/server/db/client";
import { apiClients, type TreeState } from "@/server/db/schema";
import { type ImportUnit, LineError, parseImportLine } from "./import-parse";
import { BatchConflictError, writeBatch } from "./import-batch";
import { IMPORT_API_CLIENT_ID, writeUnit, type WriteResult, type WriteSettings } from "./import-write";

export { IMPORT_API_CLIENT_ID } from "./import-write";

/**
 * Importer for oasst JSON Lines (port of OA `backend/import.py`, spec backend §6.3), completed: every line is
 * validated and bad lines are reported by number and skipped; lines are written in batches of several trees per
 * transaction (import-batch.ts), and a line that fails rolls back alone — by the batch's per-line checks, or by a
 * replay of the batch with one savepoint per line — so nothing is ever half-imported; ranks, emojis, review results, deletion flags, dates and known
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

/**
 * The state of a new tree whose line names none — a tree line without `tree_state` or a message line without a
 * parent (a nested-message file such as the original's `en_100_message.jsonl`). The original importer's rule
 * (import.py): the first `numActivate` such trees enter `ranking` (active), the rest wait in `backlog_ranking`
 * (inactive), so an import never floods the active-tree budget nor opens imported trees to new contributions.
 */
export function importedTreeState(activatedSoFar: number, numActivate: number): TreeState {
  return activatedSoFar < numActivate ? "ranking" : "backlog_ranking";
}

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
/** Lines and messages per transaction: large enough to amortise round trips, small enough to keep locks short. */
const BATCH_LINES = 500;
const BATCH_MESSAGES = 10_000;
const ANALYZE_AFTER_MESSAGES = 50_000;

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
  // Bad lines wait in the batch too, so that errors are reported in line order.
  let batch: ({ lineNumber: number; unit: ImportUnit } | { lineNumber: number; unit: null; reason: string })[] = [];
  let batchMessages = 0;
  const fail = (lineNumber: number, reason: string) => {
    report.errorCount++;
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ line: lineNumber, reason });
  };
  const record = (unit: ImportUnit, result: WriteResult) => {
    if (result.status === "skipped") {
      if (unit.externalParentId) report.messagesSkipped++;
      else report.treesSkipped++;
    } else {
      report.messagesImported += result.messages;
      if (result.newTree) report.treesImported++;
      if (result.newTree === "ranking" && !unit.state) activated++;
    }
  };
  /** Decides new trees' states in file order, counting activations from `start` (a replay starts over). */
  const settingsFrom = (start: number): WriteSettings => {
    let planned = start;
    return {
      origin: options.origin,
      modelName: options.modelName,
      state: (unit) => {
        if (unit.state) return unit.state;
        const state = importedTreeState(planned, options.numActivate ?? 0);
        if (state === "ranking") planned++;
        return state;
      },
    };
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const lines = batch;
    batch = [];
    batchMessages = 0;
    const units = lines.flatMap((line) => (line.unit ? [line.unit] : []));
    try {
      const outcomes = await db.transaction((tx) => writeBatch(tx, units, settingsFrom(activated)));
      let next = 0;
      for (const line of lines) {
        if (!line.unit) {
          fail(line.lineNumber, line.reason);
          continue;
        }
        const outcome = outcomes[next++]!;
        if (outcome.status === "error") fail(line.lineNumber, outcome.reason);
        else record(line.unit, outcome);
      }
    } catch (error) {
      if (!(error instanceof BatchConflictError)) throw error;
      // Replay line by line in one transaction, a savepoint per line, so only the conflicting line is lost.
      await db.transaction(async (tx) => {
        for (const line of lines) {
          const { lineNumber, unit } = line;
          if (!unit) {
            fail(lineNumber, line.reason);
            continue;
          }
          try {
            record(unit, await tx.transaction((savepoint) => writeUnit(savepoint, unit, settingsFrom(activated))));
          } catch (lineError) {
            if (!(lineError instanceof LineError)) throw lineError;
            fail(lineNumber, lineError.message);
          }
        }
      });
    }
    for (const { lineNumber } of lines) onProgress?.(report, lineNumber);
  };
  // The next batch is read and parsed while the previous one is written; batches are written one after another,
  // so each sees everything the lines before it wrote.
  let writing: Promise<void> = Promise.resolve();
  try {
    for await (const text of lines) {
      const lineNumber = ++report.linesRead;
      if (text.trim() === "") continue;
      try {
        const unit = parseImportLine(text);
        batch.push({ lineNumber, unit });
        batchMessages += unit.messages.length;
      } catch (error) {
        if (!(error instanceof LineError)) throw error;
        batch.push({ lineNumber, unit: null, reason: error.message });
      }
      if (batch.length >= BATCH_LINES || batchMessages >= BATCH_MESSAGES) {
        await writing;
        writing = flush();
      }
    }
    await writing;
    await flush();
  } finally {
    // A failed read must not leave a batch write's failure unhandled.
    await writing.catch(() => undefined);
  }
  // A bulk load leaves the planner's statistics behind (the tables may have grown tenfold); refresh them as
  // PostgreSQL's documentation advises after one, rather than wait for autovacuum. Not inside a dry run.
  if (!options.dryRun && report.messagesImported >= ANALYZE_AFTER_MESSAGES) {
    await db.execute(sql`analyze messages, message_tree_states, dataset_undated_messages`);
  }
  return report;
}
