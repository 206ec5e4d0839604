import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages, users } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { loadQualitySummary } from "@/server/domain/quality/summary";
import { type ExportFilters, messageOnlyFilters, resolveExportFilters } from "./export-filters";
import { exportMessages } from "./export-messages";
import { exportPreferencePairs } from "./export-pairs";
import { exportSftThreads } from "./export-sft";
import { exportTrees } from "./export-trees";
import { type ExportMessageNode } from "./oasst-schema";
import { readLines } from "./read-lines";
import { type ReleaseCardInput, releaseCard } from "./release-card";
import { writeMessagesParquet } from "./release-parquet";
import { writeLines } from "./write-lines";

/**
 * Dataset releases (issue 14 item 7): an export frozen into a folder `ROOT/NAME/` ready to publish on a dataset
 * hub. Releases are recorded by their folders, not a table: each folder's manifest.json names its release, date
 * and filters, and the newest other folder under ROOT is the previous release, whose messages file is the ground
 * truth of what was published (a table could say a release exists whose files were never uploaded or were moved).
 */

/** Where releases go unless told otherwise: RELEASES_DIR, else `.data/releases` (git-ignored) under the working directory. */
export const DEFAULT_RELEASE_ROOT = process.env.RELEASES_DIR || path.join(".data", "releases");

export const RELEASE_FILES = {
  trees: "trees.jsonl.gz",
  messages: "messages.jsonl.gz",
  messagesParquet: "messages.parquet",
  sft: "sft.jsonl.gz",
  pairs: "pairs.jsonl.gz",
  withdrawals: "withdrawals.jsonl",
  card: "README.md",
} as const;

export type ReleaseFile = { path: string; rows: number | null; bytes: number; sha256: string };

export type ReleaseDiff = { added: number; removed: number; changed: number; unchanged: number; withdrawn: number };

export type ReleaseManifest = {
  name: string;
  created_at: string;
  previous: string | null;
  filters: Record<string, unknown>;
  counts: {
    trees: number;
    messages: number;
    sft_threads: number;
    preference_pairs: number;
    withdrawals: number;
    messages_by_language: Record<string, number>;
    trees_by_language: Record<string, number>;
  };
  diff: ReleaseDiff | null;
  files: ReleaseFile[];
};

export type Withdrawal = { message_id: string; message_tree_id: string | null; kind: "message" | "tree"; reason: "message_deleted" | "account_removed" };

export type ReleaseProgress = (step: string) => void;

export type ReleaseOptions = {
  name: string;
  /** The folder holding all releases; this one is written to ROOT/NAME. */
  root: string;
  filters?: ExportFilters;
  now?: Date;
  onProgress?: ReleaseProgress;
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function assertReleaseName(name: string): void {
  if (!NAME.test(name)) {
    throw new AppError("INVALID_INPUT", `release name "${name}" must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
}

/** Every release under ROOT, newest first, read from their manifests (folders without one are not releases). */
export async function listReleases(root: string): Promise<ReleaseManifest[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const manifests: ReleaseManifest[] = [];
  for (const entry of entries) {
    if (entry.startsWith(".")) continue;
    try {
      manifests.push(JSON.parse(await readFile(path.join(root, entry, "manifest.json"), "utf8")) as ReleaseManifest);
    } catch {
      // Not a release folder.
    }
  }
  return manifests.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.name.localeCompare(a.name));
}

/** The files of a release a browser may download (its manifest and the files it lists). */
export const RELEASE_DOWNLOADS: readonly string[] = ["manifest.json", ...Object.values(RELEASE_FILES)];

/** The path of one file of a release; a bad name or an unknown file is an INVALID_INPUT (never a path outside ROOT). */
export function releaseFilePath(root: string, name: string, file: string): string {
  assertReleaseName(name);
  if (!RELEASE_DOWNLOADS.includes(file)) throw new AppError("INVALID_INPUT", `"${file}" is not a file of a release`);
  return path.join(root, name, file);
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function lineHash(line: string): string {
  return createHash("sha1").update(line).digest("base64").slice(0, 16);
}

function bump(counts: Record<string, number>, key: string | null | undefined) {
  const k = key || "unknown";
  counts[k] = (counts[k] ?? 0) + 1;
}

/** Yields `lines` unchanged, counting them and handing each to `onLine` (for the diff and the language counts). */
async function* tap(lines: AsyncIterable<string>, onLine: (line: string) => void): AsyncGenerator<string> {
  for await (const line of lines) {
    onLine(line);
    yield line;
  }
}

const WITHDRAWAL_BATCH = 500;

/**
 * Of the messages the previous release published and this one no longer has, the ones withdrawn: deleted (or
 * purged) since, or written by an account removed since. Others left for ordinary reasons (a tree changed state)
 * count as removed in the diff but are not withdrawals.
 */
async function findWithdrawals(db: DbOrTx, gone: Map<string, string | null>): Promise<Withdrawal[]> {
  const withdrawals: Withdrawal[] = [];
  const ids = [...gone.keys()];
  for (let i = 0; i < ids.length; i += WITHDRAWAL_BATCH) {
    const batch = ids.slice(i, i + WITHDRAWAL_BATCH);
    const rows = await db
      .select({ id: messages.id, deleted: messages.deleted, authorDeleted: users.deleted })
      .from(messages)
      .leftJoin(users, eq(users.id, messages.userId))
      .where(inArray(messages.id, batch));
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of batch) {
      const row = byId.get(id);
      const reason = !row || row.deleted ? "message_deleted" : row.authorDeleted ? "account_removed" : null;
      if (!reason) continue;
      const treeId = gone.get(id) ?? null;
      withdrawals.push({ message_id: id, message_tree_id: treeId, kind: treeId === id ? "tree" : "message", reason });
    }
  }
  return withdrawals;
}

function plainFilters(filters: ExportFilters): Record<string, unknown> {
  const resolved = resolveExportFilters(filters);
  const { pageSize: _pageSize, ...rest } = resolved;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/**
 * Builds release NAME under ROOT. The files are written to a hidden folder and renamed into place at the end, so
 * a release folder is either complete or absent, and two builds of one name cannot both succeed (the second
 * finds the folder, or the first's work folder, and is refused with CONFLICT).
 */
export async function buildRelease(db: DbOrTx, options: ReleaseOptions): Promise<ReleaseManifest> {
  const { name, root, onProgress = () => undefined } = options;
  assertReleaseName(name);
  // A release never publishes what the authors of removed accounts wrote (withdrawn from later releases too).
  const filters: ExportFilters = { ...(options.filters ?? {}), removedAuthors: "exclude" };
  const rejected = messageOnlyFilters(filters);
  if (rejected.length > 0) throw new AppError("INVALID_INPUT", `${rejected.join(", ")} select single messages, not a release of trees`);
  if (filters.anonymizerSeed !== undefined) {
    throw new AppError("INVALID_INPUT", "a release keeps message ids so that later releases can list withdrawals; it cannot be anonymised");
  }
  const finalDir = path.join(root, name);
  const workDir = path.join(root, `.${name}.partial`);
  await mkdir(root, { recursive: true });
  if (await stat(finalDir).then(() => true, () => false)) throw new AppError("CONFLICT", `release "${name}" already exists in ${root}`);
  try {
    await mkdir(workDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new AppError("CONFLICT", `release "${name}" is being built already`);
    throw error;
  }
  try {
    const manifest = await writeRelease(db, { ...options, filters }, workDir, onProgress);
    try {
      await rename(workDir, finalDir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" || code === "EEXIST") throw new AppError("CONFLICT", `release "${name}" already exists in ${root}`);
      throw error;
    }
    return manifest;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function writeRelease(
  db: DbOrTx,
  options: ReleaseOptions & { filters: ExportFilters },
  dir: string,
  onProgress: ReleaseProgress,
): Promise<ReleaseManifest> {
  const { name, root, filters } = options;
  const now = options.now ?? new Date();
  const previous = (await listReleases(root)).find((release) => release.name !== name) ?? null;
  const file = (key: keyof typeof RELEASE_FILES) => path.join(dir, RELEASE_FILES[key]);

  // The previous release's messages, id → (tree, line hash): what the diff and the withdrawals compare against.
  const before = new Map<string, { tree: string | null; hash: string }>();
  if (previous) {
    onProgress(`reading previous release ${previous.name}`);
    for await (const line of readLines(path.join(root, previous.name, RELEASE_FILES.messages))) {
      if (!line.trim()) continue;
      const node = JSON.parse(line) as ExportMessageNode;
      before.set(node.message_id, { tree: node.message_tree_id ?? null, hash: lineHash(line) });
    }
  }

  onProgress("writing trees");
  const treesByLanguage: Record<string, number> = {};
  const trees = await writeLines(
    tap(exportTrees(db, filters), (line) => bump(treesByLanguage, (JSON.parse(line) as { prompt: ExportMessageNode }).prompt.lang)),
    file("trees"),
  );

  onProgress("writing messages");
  const messagesByLanguage: Record<string, number> = {};
  const diff: ReleaseDiff = { added: 0, removed: 0, changed: 0, unchanged: 0, withdrawn: 0 };
  const messageCount = await writeLines(
    tap(exportMessages(db, filters), (line) => {
      const node = JSON.parse(line) as ExportMessageNode;
      bump(messagesByLanguage, node.lang);
      const old = before.get(node.message_id);
      if (!old) diff.added++;
      else if (old.hash === lineHash(line)) diff.unchanged++;
      else diff.changed++;
      before.delete(node.message_id);
    }),
    file("messages"),
  );

  onProgress("writing messages.parquet");
  const parquetRows = await writeMessagesParquet(readLines(file("messages")), file("messagesParquet"));

  onProgress("writing SFT threads");
  const sft = await writeLines(exportSftThreads(db, filters), file("sft"));
  onProgress("writing preference pairs");
  const pairs = await writeLines(exportPreferencePairs(db, filters), file("pairs"));

  onProgress("finding withdrawals");
  diff.removed = before.size;
  const gone = new Map([...before].map(([id, { tree }]) => [id, tree]));
  before.clear();
  const withdrawals = previous ? await findWithdrawals(db, gone) : [];
  diff.withdrawn = withdrawals.length;
  await writeFile(file("withdrawals"), withdrawals.map((w) => `${JSON.stringify(w)}\n`).join(""));

  onProgress("writing the dataset card");
  const counts: ReleaseManifest["counts"] = {
    trees,
    messages: messageCount,
    sft_threads: sft,
    preference_pairs: pairs,
    withdrawals: withdrawals.length,
    messages_by_language: messagesByLanguage,
    trees_by_language: treesByLanguage,
  };
  const cardInput: ReleaseCardInput = {
    name,
    createdAt: now,
    previous: previous?.name ?? null,
    counts,
    diff: previous ? diff : null,
    filters: plainFilters(filters),
    quality: await loadQualitySummary(db, { lowest: 1 }),
  };
  await writeFile(file("card"), releaseCard(cardInput));

  onProgress("hashing files");
  const rows: Record<string, number | null> = {
    [RELEASE_FILES.trees]: trees,
    [RELEASE_FILES.messages]: messageCount,
    [RELEASE_FILES.messagesParquet]: parquetRows,
    [RELEASE_FILES.sft]: sft,
    [RELEASE_FILES.pairs]: pairs,
    [RELEASE_FILES.withdrawals]: withdrawals.length,
    [RELEASE_FILES.card]: null,
  };
  const files: ReleaseFile[] = [];
  for (const relative of Object.values(RELEASE_FILES)) {
    const full = path.join(dir, relative);
    files.push({ path: relative, rows: rows[relative] ?? null, bytes: (await stat(full)).size, sha256: await sha256Of(full) });
  }
  const manifest: ReleaseManifest = {
    name,
    created_at: now.toISOString(),
    previous: previous?.name ?? null,
    filters: plainFilters(filters),
    counts,
    diff: previous ? diff : null,
    files,
  };
  await writeFile(path.join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
