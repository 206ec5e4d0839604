/**
 * The quality job (src/server/domain/quality/compute-quality.ts) on a seeded database, against a floor measured in
 * the same run.
 *
 *   npx tsx bench/quality-job.ts [--trees 20000]     (DATABASE_URL: a PostgreSQL server; a fresh database
 *                                                    `oa_bench_quality` is created on it)
 *   npx tsx bench/quality-job.ts --db quality_1m      (an existing database on that server, e.g. a copy of the 1M-message
 *                                                    one: `createdb -T oa_scale_1m quality_1m`; it is migrated and
 *                                                    written to; no seeding) — also times a dataset release of it
 *                                                    against a scan of the rows the release reads.
 *
 * Seeds, set-based: 100 reviewers; per tree a prompt and three replies; three reviews (spam, quality, humor) of
 * every reply; three rankings of every prompt's replies. Floor: reading every review and ranking row once
 * (`sum(length(labels::text))`, `sum(length(payload::text))`) — the job cannot be cheaper than its input scan.
 * Results are appended to bench/quality-job.results.md.
 */
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { connectDatabase } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildRelease } from "../src/server/domain/dataset/release";
import { computeQuality } from "../src/server/domain/quality/compute-quality";

const { values } = parseArgs({ options: { trees: { type: "string", default: "20000" }, db: { type: "string" } } });
const trees = Number(values.trees);
const existing = values.db;
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error("DATABASE_URL must point at a PostgreSQL server");

const url = new URL(serverUrl);
if (!existing) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe("drop database if exists oa_bench_quality with (force)");
  await admin.unsafe("create database oa_bench_quality");
  await admin.end();
}
url.pathname = `/${existing ?? "oa_bench_quality"}`;
await migrateDatabase(url.toString());
const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });

const seedStarted = performance.now();
if (!existing) await sql.unsafe(`
  insert into users (id, name) select gen_random_uuid(), 'reviewer ' || i from generate_series(1, 100) i;
  create temporary table bench_users as select id, row_number() over (order by id) - 1 as n from users;
  insert into messages (id, message_tree_id, role, frontend_message_id, text, lang, created_date)
    select p, p, 'prompter', p::text, 'prompt', (array['en','de','es'])[1 + (i % 3)], now() - (i % 365) * interval '1 day'
    from (select gen_random_uuid() p, i from generate_series(1, ${trees}) i) s;
  insert into messages (id, parent_id, message_tree_id, role, frontend_message_id, text, lang, depth, created_date)
    select r, m.id, m.id, 'assistant', r::text, 'reply', m.lang, 1, m.created_date
    from messages m, lateral (select gen_random_uuid() r from generate_series(1, 3) g where m.id is not null) x where m.parent_id is null;
  insert into text_labels (user_id, message_id, labels, task_id)
    select u.id, m.id, jsonb_build_object('spam', (random() < 0.1)::int, 'quality', floor(random() * 5) / 4, 'humor', floor(random() * 5) / 4),
      gen_random_uuid()
    from messages m, lateral (select id from bench_users where n in ((hashtext(m.id::text) & 127) % 100, ((hashtext(m.id::text) & 127) + 1) % 100, ((hashtext(m.id::text) & 127) + 2) % 100) and m.parent_id is not null) u;
  insert into tasks (id, user_id, type, payload, done, parent_message_id)
    select gen_random_uuid(), u.id, 'rank_assistant_replies', '{}'::jsonb, true, m.id
    from messages m, lateral (select id from bench_users where n in ((hashtext(m.id::text) & 127) % 100, ((hashtext(m.id::text) & 127) + 3) % 100, ((hashtext(m.id::text) & 127) + 6) % 100)) u
    where m.parent_id is null;
  insert into message_reactions (task_id, user_id, message_id, payload)
    select t.id, t.user_id, t.parent_message_id, jsonb_build_object('type', 'message_ranking', 'rankingParentId', t.parent_message_id,
      'messageTreeId', t.parent_message_id, 'notRankable', false,
      'rankedMessageIds', (select jsonb_agg(id order by random()) from messages c where c.parent_id = t.parent_message_id))
    from tasks t;
  analyze;
`);
const seedSeconds = (performance.now() - seedStarted) / 1000;
const [counts] = await sql`select (select count(*)::int from text_labels) as labels, (select count(*)::int from message_reactions) as rankings,
  (select count(*)::int from messages) as messages, (select count(*)::int from message_tree_states) as trees`;
console.log(`seeded ${counts!.trees} trees, ${counts!.labels} reviews, ${counts!.rankings} rankings in ${seedSeconds.toFixed(1)} s`);

const floorStarted = performance.now();
await sql`select sum(length(labels::text)) from text_labels`;
await sql`select sum(length(payload::text)) from message_reactions`;
const floorSeconds = (performance.now() - floorStarted) / 1000;

const { db, close } = connectDatabase(url.toString());
const started = performance.now();
const report = await db.transaction((tx) => computeQuality(tx));
const seconds = (performance.now() - started) / 1000;
console.log(`quality job: ${seconds.toFixed(1)} s`, report, `floor ${floorSeconds.toFixed(2)} s`);

// The release (existing databases only): every exported tree's messages, against one scan of those rows.
let releaseRow = "";
if (existing) {
  const releaseFloorStarted = performance.now();
  await sql`select sum(length(m.text)), count(*) from messages m join message_tree_states s on s.message_tree_id = m.message_tree_id
    where s.state = 'ready_for_export' and not m.deleted`;
  const releaseFloor = (performance.now() - releaseFloorStarted) / 1000;
  const root = await mkdtemp(path.join(tmpdir(), "oa-bench-release-"));
  const releaseStarted = performance.now();
  const manifest = await buildRelease(db, { name: "bench", root });
  const releaseSeconds = (performance.now() - releaseStarted) / 1000;
  await rm(root, { recursive: true, force: true });
  console.log(`release: ${releaseSeconds.toFixed(1)} s`, manifest.counts, `floor ${releaseFloor.toFixed(2)} s`);
  releaseRow = `| release (trees and messages jsonl.gz + Parquet, SFT, preferences, card, manifest; ${manifest.counts.trees.toLocaleString("en")} trees, ` +
    `${manifest.counts.messages.toLocaleString("en")} messages) | ${releaseSeconds.toFixed(1)} s | ${releaseFloor.toFixed(2)} s (one scan of the exported messages' text) | ` +
    `${(releaseSeconds / releaseFloor).toFixed(1)}× |\n`;
}
await close();
await sql.end();

const file = "bench/quality-job.results.md";
if (!existsSync(file)) writeFileSync(file, "# Quality job\n\nRecorded by `npx tsx bench/quality-job.ts --trees N` (see the script's header).\n");
const load = (await import("node:fs")).readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
appendFileSync(
  file,
  `\n## ${new Date().toISOString().slice(0, 16)} UTC — ${existing ? `database ${existing}: ` : ""}${counts!.trees.toLocaleString("en")} trees, ${counts!.messages.toLocaleString("en")} messages, ` +
    `${counts!.labels.toLocaleString("en")} reviews, ${counts!.rankings.toLocaleString("en")} rankings (load average ${load})\n\n` +
    `| step | time | floor (same run) | ratio |\n|---|---|---|---|\n` +
    `| quality job (α by label/language/month, W, margins, Bradley–Terry with 100 bootstrap fits per group, reviewer scores) | ${seconds.toFixed(1)} s | ${floorSeconds.toFixed(2)} s (reading the reviews and rankings once) | ${(seconds / floorSeconds).toFixed(1)}× |\n` + releaseRow +
    `\nStored ${report.labelRows} α rows, ${report.siblingGroups} sibling groups, ${report.reviewers} reviewers.\n`,
);
