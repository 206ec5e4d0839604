/**
 * Dataset import/export throughput and peak memory on a large database.
 *
 *   npx tsx bench/dataset-throughput.ts [--messages 1000000]      (DATABASE_URL: a PostgreSQL server; a fresh
 *                                                                  database `oa_bench_dataset` is created on it)
 *
 * The input is the 100-tree oasst fixture copied with fresh ids until it holds the requested number of messages,
 * written as gzipped JSON Lines. Results are appended to bench/dataset-throughput.results.md.
 */
import { createHash } from "node:crypto";
import { appendFileSync, createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import postgres from "postgres";
import { connectDatabase } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { DEMO_TREES_FILE } from "../src/server/db/seed/seed";
import { exportLines } from "../src/server/domain/dataset/export-formats";
import { importOasstTrees } from "../src/server/domain/dataset/import-trees";
import { readLines } from "../src/server/domain/dataset/read-lines";

const { values } = parseArgs({ options: { messages: { type: "string", default: "1000000" } } });
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

/** Peak resident memory while `work` runs, sampled every 100 ms. */
async function measure<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = performance.now();
  const result = await work();
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, seconds: (performance.now() - started) / 1000, peakRssMb: Math.round(peak / 1024 / 1024) };
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
await admin.unsafe("drop database if exists oa_bench_dataset with (force)");
await admin.unsafe("create database oa_bench_dataset");
await admin.end();
const url = new URL(serverUrl);
url.pathname = "/oa_bench_dataset";
await migrateDatabase(url.toString());
const { db, close } = connectDatabase(url.toString());

const imported = await measure(() => importOasstTrees(db, readLines(file), { origin: "bench" }));
console.log(`import: ${imported.seconds.toFixed(1)} s, peak RSS ${imported.peakRssMb} MB`, imported.result.messagesImported);

let exportedLines = 0;
const exported = await measure(async () => {
  for await (const _line of exportLines(db, "trees", { states: "all" })) exportedLines++;
});
console.log(`export: ${exported.seconds.toFixed(1)} s, peak RSS ${exported.peakRssMb} MB, ${exportedLines} trees`);
await close();

const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString("en");
appendFileSync(
  "bench/dataset-throughput.results.md",
  `\n## ${new Date().toISOString().slice(0, 16)} UTC — ${totalMessages.toLocaleString("en")} messages, PostgreSQL\n\n` +
    `| step | time | throughput | peak RSS |\n|---|---|---|---|\n` +
    `| import (gzip JSONL → DB, one transaction per tree) | ${imported.seconds.toFixed(1)} s | ${rate(imported.result.messagesImported, imported.seconds)} messages/s | ${imported.peakRssMb} MB |\n` +
    `| export (DB → tree JSONL, 200 trees per page) | ${exported.seconds.toFixed(1)} s | ${rate(totalMessages, exported.seconds)} messages/s | ${exported.peakRssMb} MB |\n` +
    `\nImported ${imported.result.treesImported} trees (${imported.result.errors.length} bad lines); exported ${exportedLines} trees. ` +
    `Machine: 2 cores shared with a CI run at the time, so the figures are conservative.\n`,
);
