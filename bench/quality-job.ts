/**
 * The quality job (src/server/domain/quality/compute-quality.ts) on a seeded database, against a floor measured in
 * the same run.
 *
 *   npx tsx bench/quality-job.ts [--trees 20000]     (DATABASE_URL: a PostgreSQL server; a fresh database
 *                                                    `oa_bench_quality` is created on it)
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
import { computeQuality } from "../src/server/domain/quality/compute-quality";

const { values } = parseArgs({ options: { trees: { type: "string", default: "20000" } } });
const trees = Number(values.trees);
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error("DATABASE_URL must point at a PostgreSQL server");

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe("drop database if exists oa_bench_quality with (force)");
await admin.unsafe("create database oa_bench_quality");
await admin.end();
const url = new URL(serverUrl);
url.pathname = "/oa_bench_quality";
await migrateDatabase(url.toString());
const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });

const seedStarted = performance.now();
await sql.unsafe(`
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
const [counts] = await sql`select (select count(*)::int from text_labels) as labels, (select count(*)::int from message_reactions) as rankings`;
console.log(`seeded ${trees} trees, ${counts!.labels} reviews, ${counts!.rankings} rankings in ${seedSeconds.toFixed(1)} s`);

const floorStarted = performance.now();
await sql`select sum(length(labels::text)) from text_labels`;
await sql`select sum(length(payload::text)) from message_reactions`;
const floorSeconds = (performance.now() - floorStarted) / 1000;
await sql.end();

const { db, close } = connectDatabase(url.toString());
const started = performance.now();
const report = await db.transaction((tx) => computeQuality(tx));
const seconds = (performance.now() - started) / 1000;
await close();
console.log(`quality job: ${seconds.toFixed(1)} s`, report, `floor ${floorSeconds.toFixed(2)} s`);

const file = "bench/quality-job.results.md";
if (!existsSync(file)) writeFileSync(file, "# Quality job\n\nRecorded by `npx tsx bench/quality-job.ts --trees N` (see the script's header).\n");
const load = (await import("node:fs")).readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
appendFileSync(
  file,
  `\n## ${new Date().toISOString().slice(0, 16)} UTC — ${trees.toLocaleString("en")} trees, ${(trees * 4).toLocaleString("en")} messages, ` +
    `${counts!.labels.toLocaleString("en")} reviews, ${counts!.rankings.toLocaleString("en")} rankings (load average ${load})\n\n` +
    `| step | time | floor (same run) | ratio |\n|---|---|---|---|\n` +
    `| quality job (α by label/language/month, W, margins, Bradley–Terry with 100 bootstrap fits per group, reviewer scores) | ${seconds.toFixed(1)} s | ${floorSeconds.toFixed(2)} s (reading the reviews and rankings once) | ${(seconds / floorSeconds).toFixed(1)}× |\n` +
    `\nStored ${report.labelRows} α rows, ${report.siblingGroups} sibling groups, ${report.reviewers} reviewers.\n`,
);
