/**
 * `npm run dataset -- export [--format trees|messages|sft|pairs|judgements] [filters…] [--out FILE(.gz)]`
 * `npm run dataset -- release NAME [--out DIR] [filters…]` (release.ts)
 * `npm run dataset -- import FILE(.gz) [--origin NAME] [--model-name NAME] [--num-activate N] [--dry-run]`
 *
 * Filters (OA `backend/export.py`): --state S (repeat, or "all"), --lang L, --include-deleted | --deleted-only,
 * --include-spam | --spam-only, --include-synthetic | --synthetic-only, --user ID, --from DATE, --to DATE,
 * --prompts-only, --labels, --events, --limit N, --anonymizer-seed S. Without --format, --user and the
 * --x-only filters select messages (as the original did); otherwise trees. Progress goes to stderr.
 * Exit codes: 0 done, 1 some import lines were bad (the rest was imported), 2 usage error.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { type Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { connectDatabase, type Database } from "../src/server/db/client";
import { type TreeState } from "../src/server/db/schema";
import { EXPORT_FORMATS, type ExportFormat, countTreesToRead, exportLines } from "../src/server/domain/dataset/export-formats";
import { type ExportFilters, type FlagFilter, messageOnlyFilters } from "../src/server/domain/dataset/export-filters";
import { importOasstTrees } from "../src/server/domain/dataset/import-trees";
import { readLines } from "../src/server/domain/dataset/read-lines";
import { buildRelease, DEFAULT_RELEASE_ROOT } from "../src/server/domain/dataset/release";
import { writeLines } from "../src/server/domain/dataset/write-lines";
import { isTreeState } from "../src/server/domain/trees/states";
import { AppError } from "../src/server/errors";

/** `db` is null when no DATABASE_URL is set: help and usage errors are still answered, commands are refused. */
export type CliIo = { db: Database | null; stdout: Writable; stderr: Writable & { isTTY?: boolean } };

class UsageError extends Error {}

export const USAGE = `usage: dataset export [--format trees|messages|sft|pairs|judgements] [filters…] [--out FILE(.gz)]
       dataset import FILE(.gz) [--origin NAME] [--model-name NAME] [--num-activate N] [--dry-run]
       dataset release NAME [--out DIR] [filters…]
       dataset --help

export filters: --state S (repeatable, or "all"; default ready_for_export), --lang L,
  --include-deleted | --deleted-only, --include-spam | --spam-only, --include-synthetic | --synthetic-only,
  --user ID, --from DATE, --to DATE, --prompts-only, --labels, --events, --limit N, --anonymizer-seed S.
  Without --format, --user and the --x-only filters export messages, anything else trees.
  --format judgements writes every label set and ranking of the selected trees, one per line, with pseudonymous
  rater ids that stay stable for a given --anonymizer-seed (required for this format).

import: JSON Lines of trees (message_tree_id + prompt) or of messages (message_id, replies nested or flat with
  parent_id). A tree keeps the tree_state its line names. A tree whose line names no state (a tree line without
  tree_state, or a message line without parent_id) enters "ranking" for the first --num-activate N of them
  (default 0) and "backlog_ranking" (inactive) after that, as the original importer did. Messages without
  created_date are exported without it. Lines already present are skipped; bad lines are reported and skipped.

release: freezes an export into DIR/NAME (DIR defaults to ${DEFAULT_RELEASE_ROOT}), ready for a dataset hub:
  trees, messages, sft and pairs as .jsonl.gz, messages.parquet, a dataset card (README.md with the hub's YAML),
  manifest.json (counts, SHA-256 of each file, filters, previous release) and withdrawals.jsonl: messages of the
  previous release (the newest other folder in DIR) deleted since or whose authors removed their accounts.
  Takes the export filters except --user, the --x-only ones and --anonymizer-seed (ids must stay comparable).

exit codes: 0 done, 1 some import lines were bad (the rest was imported), 2 usage error.
Needs DATABASE_URL (npm run dataset provides one).
`;

function database(io: CliIo): Database {
  if (!io.db) throw new UsageError("DATABASE_URL is not set (npm run dataset provides one)");
  return io.db;
}

/** A one-line bar redrawn in place on a terminal; elsewhere (logs, CI) a line every 10 %. */
function progressBar(stderr: CliIo["stderr"], unit: string, total: number) {
  const started = Date.now();
  let lastStep = -1;
  const render = (done: number, final = false) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const step = Math.floor(fraction * 10);
    if (!stderr.isTTY && !final && step === lastStep) return;
    lastStep = step;
    const bar = "#".repeat(Math.round(fraction * 30)).padEnd(30, ".");
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const text = `[${bar}] ${String(Math.round(fraction * 100)).padStart(3)}% ${unit} ${seconds}s`;
    stderr.write(stderr.isTTY ? `\r${text}${final ? "\n" : ""}` : `${text}\n`);
  };
  return { update: (done: number) => render(done), finish: (done: number) => render(done, true) };
}

function flag(include: boolean | undefined, only: boolean | undefined): FlagFilter {
  return only ? "only" : include ? "include" : "exclude";
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} needs a non-negative integer, not "${value}"`);
  return Number(value);
}

function date(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new UsageError(`--${name} needs a date (e.g. 2023-04-01), not "${value}"`);
  return parsed;
}

const FILTER_OPTIONS = {
  state: { type: "string", multiple: true }, lang: { type: "string" },
  "include-deleted": { type: "boolean" }, "deleted-only": { type: "boolean" },
  "include-spam": { type: "boolean" }, "spam-only": { type: "boolean" },
  "include-synthetic": { type: "boolean" }, "synthetic-only": { type: "boolean" },
  user: { type: "string" }, from: { type: "string" }, to: { type: "string" },
  "prompts-only": { type: "boolean" }, labels: { type: "boolean" }, events: { type: "boolean" },
  limit: { type: "string" }, "anonymizer-seed": { type: "string" }, "page-size": { type: "string" },
} as const;

type FilterValues = { [K in keyof typeof FILTER_OPTIONS]?: (typeof FILTER_OPTIONS)[K] extends { multiple: true } ? string[] : (typeof FILTER_OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

/** The export filters of the command line (shared by export and release). */
function filtersOf(v: FilterValues): ExportFilters {
  const states = (v.state ?? []).flatMap((s) => s.split(","));
  for (const state of states) if (state !== "all" && !isTreeState(state)) throw new UsageError(`unknown tree state "${state}"`);
  return {
    states: states.length === 0 ? undefined : states.includes("all") ? "all" : (states as TreeState[]),
    lang: v.lang,
    deleted: flag(v["include-deleted"], v["deleted-only"]),
    spam: flag(v["include-spam"], v["spam-only"]),
    synthetic: flag(v["include-synthetic"], v["synthetic-only"]),
    userId: v.user,
    createdFrom: date(v.from, "from"),
    createdTo: date(v.to, "to"),
    promptsOnly: v["prompts-only"],
    labels: v.labels,
    events: v.events,
    limit: integer(v.limit, "limit"),
    anonymizerSeed: v["anonymizer-seed"],
    pageSize: integer(v["page-size"], "page-size"),
  };
}

async function runExport(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parseArgs({
    args,
    strict: true,
    options: { ...FILTER_OPTIONS, format: { type: "string" }, out: { type: "string" } },
  });
  const filters = filtersOf(v);
  // Like the original, a user or an --x-only filter means a message list unless a format is asked for.
  const format = (v.format ?? (messageOnlyFilters(filters).length > 0 ? "messages" : "trees")) as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")}`);
  if (filters.userId && !/^[0-9a-f-]{36}$/i.test(filters.userId)) throw new UsageError(`--user needs a user id (UUID)`);
  if (filters.userId && filters.states === undefined) filters.states = "all";

  const db = database(io);
  const total = await countTreesToRead(db, format, filters);
  const bar = progressBar(io.stderr, `of ${total} trees`, total);
  const started = Date.now();
  const lines = exportLines(db, format, filters, { onTrees: bar.update });
  const written = await writeLines(lines, v.out ?? io.stdout);
  bar.finish(total);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  io.stderr.write(`exported ${written} ${format} lines to ${v.out ?? "stdout"} in ${seconds}s\n`);
  return 0;
}

async function runRelease(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { ...FILTER_OPTIONS, out: { type: "string" } },
  });
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError("release takes exactly one NAME");
  const root = v.out ?? DEFAULT_RELEASE_ROOT;
  const db = database(io);
  const started = Date.now();
  const manifest = await buildRelease(db, {
    name,
    root,
    filters: filtersOf(v),
    onProgress: (step) => io.stderr.write(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s ${step}\n`),
  });
  const { counts, diff } = manifest;
  io.stderr.write(
    `released ${name} to ${path.join(root, name)}: ${counts.trees} trees, ${counts.messages} messages, ` +
      `${counts.sft_threads} SFT threads, ${counts.preference_pairs} pairs; ` +
      (diff
        ? `since ${manifest.previous}: ${diff.added} added, ${diff.removed} removed, ${diff.changed} changed, ${diff.withdrawn} withdrawn\n`
        : "first release\n"),
  );
  return 0;
}

async function runImport(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      origin: { type: "string" }, "model-name": { type: "string" }, "num-activate": { type: "string" }, "dry-run": { type: "boolean" },
    },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError("import takes exactly one FILE");
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  const db = database(io);
  const bar = progressBar(io.stderr, `of ${file}`, size);
  const report = await importOasstTrees(
    db,
    readLines(file, (bytes) => bar.update(bytes)),
    { origin: v.origin ?? path.basename(file), modelName: v["model-name"], numActivate: integer(v["num-activate"], "num-activate"), dryRun: v["dry-run"] },
  );
  bar.finish(size);
  for (const { line, reason } of report.errors.slice(0, 50)) io.stderr.write(`line ${line}: ${reason}\n`);
  if (report.errorCount > 50) io.stderr.write(`… and ${report.errorCount - 50} more bad lines\n`);
  io.stderr.write(
    `${report.dryRun ? "dry run (rolled back): would have imported" : "imported"} ${report.treesImported} trees, ` +
      `${report.messagesImported} messages; skipped ${report.treesSkipped} trees and ${report.messagesSkipped} messages ` +
      `already present; ${report.errorCount} bad lines of ${report.linesRead}\n`,
  );
  return report.errorCount > 0 ? 1 : 0;
}

export async function runDatasetCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h" || command === "help" || args.includes("--help")) {
      io.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === "export") return await runExport(args, io);
    if (command === "import") return await runImport(args, io);
    if (command === "release") return await runRelease(args, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof AppError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (!usage) throw error;
    io.stderr.write(`✖ ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.DATABASE_URL;
  // postgres.js connects on the first query, so help and usage errors never touch the database.
  const connection = url ? connectDatabase(url, { max: 2 }) : null;
  try {
    process.exitCode = await runDatasetCli(process.argv.slice(2), { db: connection?.db ?? null, stdout: process.stdout, stderr: process.stderr });
  } catch (error) {
    process.stderr.write(`✖ ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await connection?.close();
  }
}
