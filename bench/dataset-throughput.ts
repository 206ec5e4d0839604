/**
 * Dataset import/export throughput and memory on a large database, each against a floor measured in the same run.
 *
 *   npx tsx bench/dataset-throughput.ts [--messages 1000000]      (DATABASE_URL: a PostgreSQL server; a fresh
 *                                                                  database `oa_bench_dataset` is created on it)
 *
 * The input is the 100-tree oasst fixture copied with fresh ids until it holds the requested number of messages,
 * written as gzipped JSON Lines. Floors (the same machine, the same minute):
 * - import floor: the same message rows inserted with plain multi-row INSERTs (2,000 rows a statement, 10,000 a
 *   transaction) into a copy of `messages` with its indexes but no foreign keys — what any importer through this
 *   driver costs at least, without parsing, checks, tree states or savepoints;
 * - export floor: every message row of the database streamed through a cursor (the exporter's columns), without
 *   building a line.
 * The export runs in a child process, so its peak RSS is its own (not the import's high-water mark); its heap is
 * sampled every 100 ms, and the samples at 25/50/75/100 % show whether memory stays flat.
 * Results are appended to bench/dataset-throughput.results.md.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import postgres from "postgres";
import { connectDatabase } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { DEMO_TREES_FILE } from "../src/server/db/seed/seed";
import { exportLines } from "../src/server/domain/dataset/export-formats";
import { searchMessages, ZMessageSearch } from "../src/server/domain/admin/messages";
import { importOasstTrees } from "../src/server/domain/dataset/import-trees";
import { drainSearchBacklog } from "../src/server/domain/messages/search-index";
import { readLines } from "../src/server/domain/dataset/read-lines";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "1000000" },
    "export-only": { type: "string" },
    database: { type: "string", default: "oa_bench_dataset" },
  },
});

function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

/** Peak resident memory and heap samples while `work` runs, sampled every 100 ms; the load average before and after. */
async function measure<T>(work: () => Promise<T>) {
  let peak = process.memoryUsage().rss;
  const heap: number[] = [];
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss);
    heap.push(usage.heapUsed);
  }, 100);
  const loadBefore = loadAverage();
  const started = performance.now();
  const result = await work();
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  const at = (fraction: number) => mb(heap[Math.min(heap.length - 1, Math.floor(fraction * heap.length))] ?? 0);
  return {
    result,
    seconds: (performance.now() - started) / 1000,
    peakRssMb: mb(peak),
    heapMb: [at(0.25), at(0.5), at(0.75), at(0.999)],
    load: `${loadBefore} → ${loadAverage()}`,
  };
}

if (values["export-only"]) {
  // Child process: export every tree of the database at this URL and print the figures as JSON.
  const { db, close } = connectDatabase(values["export-only"]);
  const exported = await measure(async () => {
    let lines = 0;
    let bytes = 0;
    for await (const line of exportLines(db, "trees", { states: "all", synthetic: "include" })) {
      lines++;
      bytes += line.length;
    }
    return { lines, bytes };
  });
  await close();
  console.log(JSON.stringify(exported));
  process.exit(0);
}

const targetMessages = Number(values.messages);
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error("DATABASE_URL must point at a PostgreSQL server");

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const fixture = readFileSync(DEMO_TREES_FILE, "utf8").trim().split("\n");
const fixtureMessages = fixture.reduce((sum, line) => sum + (line.match(/"message_id"/g)?.length ?? 0), 0);

function copyId(copy: number, id: string): string {
  const hex = createHash("md5").update(`${copy}:${id}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

mkdirSync("bench/tmp", { recursive: true });
const copies = Math.ceil(targetMessages / fixtureMessages);
const file = `bench/tmp/dataset-${copies * fixtureMessages}.jsonl.gz`;
await new Promise<void>((resolve, reject) => {
  const gzip = createGzip();
  const out = createWriteStream(file);
  gzip.pipe(out).on("finish", resolve).on("error", reject);
  for (let copy = 0; copy < copies; copy++) {
    for (const line of fixture) gzip.write(`${line.replace(UUID, (id) => copyId(copy, id))}\n`);
  }
  gzip.end();
});
const totalMessages = copies * fixtureMessages;
console.log(`input: ${copies * fixture.length} trees, ${totalMessages} messages in ${file}`);

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const benchDatabase = values.database;
if (!/^[a-z_][a-z0-9_]*$/.test(benchDatabase)) throw new Error(`--database: not a plain database name: ${benchDatabase}`);
await admin.unsafe(`drop database if exists ${benchDatabase} with (force)`);
await admin.unsafe(`create database ${benchDatabase}`);
await admin.end();
const url = new URL(serverUrl);
url.pathname = `/${benchDatabase}`;
await migrateDatabase(url.toString());
const { db, close } = connectDatabase(url.toString());
const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });

// Import floor: plain INSERTs of the same rows (messages' columns and indexes, no foreign keys).
await sql.unsafe("create table bench_floor_messages (like messages including defaults including indexes)");
async function* floorRows() {
  const now = Date.now();
  for await (const line of readLines(file)) {
    type Node = { message_id: string; parent_id?: string; text: string; role: string; lang?: string; replies?: Node[] };
    const tree = JSON.parse(line) as { message_tree_id: string; prompt: Node };
    const stack: [Node, number][] = [[tree.prompt, 0]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      yield {
        id: node.message_id, parent_id: node.parent_id ?? null, message_tree_id: tree.message_tree_id, role: node.role,
        frontend_message_id: node.message_id, created_date: new Date(now), text: node.text, lang: node.lang ?? "en", depth,
      };
      for (const reply of node.replies ?? []) stack.push([reply, depth + 1]);
    }
  }
}
const floorImport = await measure(async () => {
  let batch: Record<string, unknown>[] = [];
  let inserted = 0;
  const write = async (rows: Record<string, unknown>[]) => {
    await sql.begin(async (tx) => {
      for (let i = 0; i < rows.length; i += 2000) await tx`insert into bench_floor_messages ${tx(rows.slice(i, i + 2000) as never)}`;
    });
    inserted += rows.length;
  };
  for await (const row of floorRows()) {
    batch.push(row);
    if (batch.length >= 10_000) {
      await write(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await write(batch);
  return inserted;
});
await sql.unsafe("drop table bench_floor_messages");
console.log(`import floor: ${floorImport.seconds.toFixed(1)} s for ${floorImport.result} rows`);

const imported = await measure(() => importOasstTrees(db, readLines(file), { origin: "bench" }));
console.log(`import: ${imported.seconds.toFixed(1)} s, peak RSS ${imported.peakRssMb} MB`, imported.result.messagesImported);

// Search after the import: the imported messages wait for the search indexer (domain/messages/search-index.ts). One
// moderator search (words, a word in one fixture message in 1,167) while they all wait (it reads the newest
// PENDING_SCAN_LIMIT of them and counts the rest as unsearched) and the median of three after the indexer caught up,
// next to the median of five `select 1`; then the indexer's catch-up next to its floor, the same rows inserted into a copy of
// `message_search` with its GIN indexes.
const moderator = { userId: crypto.randomUUID(), isModerator: true };
const timeSearch = async () => {
  const started = performance.now();
  const page = await searchMessages(db, moderator, ZMessageSearch.parse({ q: "spectrophotometers", lang: "en", limit: 20 }));
  return { ms: performance.now() - started, found: page.items.length, unsearched: page.unsearched };
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const timeSelect1 = async () => {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await sql`select 1`;
    times.push(performance.now() - started);
  }
  return median(times);
};
const searchWaiting = await timeSearch();
const caughtUp = await measure(() => drainSearchBacklog(db));
console.log(`search index caught up: ${caughtUp.seconds.toFixed(1)} s for ${caughtUp.result} messages`);
const searchIndexed = [await timeSearch(), await timeSearch(), await timeSearch()].sort((a, b) => a.ms - b.ms)[1]!;
const select1Ms = await timeSelect1();
await sql.unsafe("create table bench_floor_search (like message_search including indexes)");
const floorSearch = await measure(async () => (await sql`insert into bench_floor_search select message_id, text from message_search`).count);
await sql.unsafe("drop table bench_floor_search");
await close();

const floorExport = await measure(async () => {
  let rows = 0;
  await sql`select id, parent_id, message_tree_id, user_id, to_char(created_date at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
    text, role, lang, review_count, review_result, deleted, rank, synthetic, model_name, emojis from messages`.cursor(1000, (batch) => {
    rows += batch.length;
  });
  return rows;
});
console.log(`export floor: ${floorExport.seconds.toFixed(1)} s for ${floorExport.result} rows`);
await sql.end();

const exported = JSON.parse(
  execFileSync("npx", ["tsx", "bench/dataset-throughput.ts", "--export-only", url.toString()], { encoding: "utf8", maxBuffer: 1 << 20 }),
) as { result: { lines: number; bytes: number }; seconds: number; peakRssMb: number; heapMb: number[]; load: string };
console.log(`export: ${exported.seconds.toFixed(1)} s, peak RSS ${exported.peakRssMb} MB, heap ${exported.heapMb.join("/")} MB, ${exported.result.lines} trees`);

const rate = (count: number, seconds: number) => Math.round(count / seconds);
const fmt = (n: number) => n.toLocaleString("en");
const importRate = rate(imported.result.messagesImported, imported.seconds);
const importFloor = rate(floorImport.result, floorImport.seconds);
const exportRate = rate(totalMessages, exported.seconds);
const exportFloor = rate(floorExport.result, floorExport.seconds);
const load = loadAverage();
appendFileSync(
  "bench/dataset-throughput.results.md",
  `\n## ${new Date().toISOString().slice(0, 16)} UTC — ${fmt(totalMessages)} messages, PostgreSQL (load average at the end: ${load})\n\n` +
    `| step | time | throughput | floor (same run) | ratio to floor | memory |\n|---|---|---|---|---|---|\n` +
    `| import (gzip JSONL → DB, batches of trees, per-line checks) | ${imported.seconds.toFixed(1)} s | ${fmt(importRate)} messages/s | ${fmt(importFloor)} rows/s plain INSERT | ${(importRate / importFloor).toFixed(2)} | peak RSS ${imported.peakRssMb} MB |\n` +
    `| search index catch-up after the import (\`indexSearchBacklog\`, 2,000 a transaction) | ${caughtUp.seconds.toFixed(1)} s | ${fmt(rate(caughtUp.result, caughtUp.seconds))} messages/s | ${fmt(rate(floorSearch.result, floorSearch.seconds))} rows/s one INSERT into a copy of \`message_search\` | ${(rate(caughtUp.result, caughtUp.seconds) / rate(floorSearch.result, floorSearch.seconds)).toFixed(2)} | |\n` +
    `| export (DB → tree JSONL, separate process) | ${exported.seconds.toFixed(1)} s | ${fmt(exportRate)} messages/s | ${fmt(exportFloor)} rows/s cursor read | ${(exportRate / exportFloor).toFixed(2)} | peak RSS ${exported.peakRssMb} MB; heap at 25/50/75/100 %: ${exported.heapMb.join("/")} MB |\n` +
    `\nLoad average (1/5/15 min) before → after each step: import floor ${floorImport.load}; import ${imported.load}; ` +
    `export floor ${floorExport.load}; export ${exported.load}.\n` +
    `\nA moderator's word search (\`searchMessages\`, a rare word, ${searchIndexed.found} hits on the page): ${searchWaiting.ms.toFixed(0)} ms right after ` +
    `the import, every imported message waiting for the indexer (${fmt(searchWaiting.unsearched)} left out and reported as unsearched, ${searchWaiting.found} hits); ` +
    `${searchIndexed.ms.toFixed(1)} ms once indexed; \`select 1\` ${select1Ms.toFixed(2)} ms (ratios ${(searchWaiting.ms / select1Ms).toFixed(0)}× and ` +
    `${(searchIndexed.ms / select1Ms).toFixed(0)}×).\n` +
    `\nImported ${fmt(imported.result.treesImported)} trees (${imported.result.errorCount} bad lines); exported ${fmt(exported.result.lines)} trees ` +
    `(${fmt(Math.round(exported.result.bytes / 1024 / 1024))} MB of JSON).\n`,
);
