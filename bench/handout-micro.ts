/**
 * Task hand-out micro benchmark: `npx tsx bench/handout-micro.ts [--messages=1000000] [--growing=5000] [--ranking=1000]
 * [--requests=60] [--keep]` with DATABASE_URL pointing at a PostgreSQL server. Creates a fresh database next to it,
 * migrates it, generates trees with set-based SQL (valid v4 UUIDs; triggers off, then the work rows rebuilt with
 * `rebuildTaskWork`, which is timed), then calls `requestTask` directly for every task type, each call by another
 * user, and `taskAvailability`, next to a `select 1` floor and an empty transaction measured in the same run.
 * Writes bench/handout-micro.results.md and drops the database (unless --keep).
 */
import { cpus, loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { connectDatabase } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { taskAvailability } from "../src/server/domain/tasks/availability";
import { requestTask } from "../src/server/domain/tasks/request-task";
import type { TaskRequestType } from "../src/server/domain/tasks/types";
import { rebuildTaskWork } from "../src/server/domain/tasks/work";
import { DEFAULT_TREE_MANAGER_CONFIG } from "../src/server/domain/trees/config";
import { defaultTreeDeps } from "../src/server/domain/trees/deps";
import { numberFlag } from "./cli-flags";

const size = { messages: numberFlag("messages", 1_000_000), growing: numberFlag("growing", 5000), ranking: numberFlag("ranking", 1000), requests: numberFlag("requests", 60) };
const keep = process.argv.includes("--keep");
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl?.startsWith("postgres")) {
  console.error("Set DATABASE_URL to a PostgreSQL server (a fresh database is created next to it).");
  process.exit(2);
}

/** A deterministic, valid version-4 UUID from a key (md5 with the version and variant nibbles set). */
const v4 = (key: string) => `overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17)::uuid`;

const LANGS = ["en", "de", "es", "fr", "pt-BR"];

/**
 * Trees of up to 9 messages (a prompt, 4 assistant replies, a prompter reply under each), a fifth in English:
 * `growing` active growing trees per language with replies under review and parents with room, `ranking` trees in
 * ranking, 50 prompts in review, and the rest ready for export, up to `messages`.
 */
async function generate(sqlClient: postgres.Sql, users: number) {
  const trees = Math.max(1, Math.floor(size.messages / 9));
  await sqlClient.unsafe(`set session_replication_role = replica`);
  await sqlClient.unsafe(`
    insert into users (id, name, email, tos_acceptance_date, enabled)
    select ${v4("'u' || g")}, 'Contributor ' || g, 'hb-' || g || '@example.test', now(), true from generate_series(0, ${users - 1}) g`);
  // Tree r: state by position: [0, growing·5) growing, then ranking·5, then 500 in review, then exported.
  const state = (r: string) => `case when ${r} < ${size.growing * 5} then 'growing' when ${r} < ${(size.growing + size.ranking) * 5} then 'ranking'
    when ${r} < ${(size.growing + size.ranking + 50) * 5} then 'initial_prompt_review' else 'ready_for_export' end`;
  await sqlClient.unsafe(`
    insert into messages (id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_result, review_count)
    select ${v4("'r' || r")}, ${v4("'r' || r")}, ${v4(`'u' || (r % ${users})`)}, 'prompter', 'r' || r, 'Prompt ' || r,
      (array['${LANGS.join("','")}'])[1 + r % 5], 0, case when ${state("r")} = 'initial_prompt_review' then null else true end,
      case when ${state("r")} = 'initial_prompt_review' then r % 3 else 3 end
    from generate_series(0, ${trees - 1}) r`);
  await sqlClient.unsafe(`
    insert into message_tree_states (message_tree_id, goal_tree_size, max_depth, max_children_count, state, active, lang)
    select ${v4("'r' || r")}, 12, 3, 5, (${state("r")})::tree_state, ${state("r")} <> 'ready_for_export', (array['${LANGS.join("','")}'])[1 + r % 5]
    from generate_series(0, ${trees - 1}) r`);
  // In growing trees a quarter of the replies still await reviews; elsewhere all are accepted.
  await sqlClient.unsafe(`
    insert into messages (id, parent_id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_result, review_count, children_count)
    select ${v4("'a' || r || '-' || c")}, ${v4("'r' || r")}, ${v4("'r' || r")}, ${v4(`'u' || ((r + (c + 1) * 7919) % ${users})`)},
      'assistant', 'a' || r || '-' || c, 'Answer ' || c, (array['${LANGS.join("','")}'])[1 + r % 5], 1,
      case when ${state("r")} = 'growing' and (r + c) % 4 = 0 then null else true end, case when ${state("r")} = 'growing' and (r + c) % 4 = 0 then (r + c) % 3 else 3 end, 1
    from generate_series(0, ${trees - 1}) r, generate_series(0, 3) c`);
  await sqlClient.unsafe(`
    insert into messages (id, parent_id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_result, review_count)
    select ${v4("'p' || r || '-' || c")}, ${v4("'a' || r || '-' || c")}, ${v4("'r' || r")}, ${v4(`'u' || ((r + (c + 5) * 7919) % ${users})`)},
      'prompter', 'p' || r || '-' || c, 'Follow-up ' || c, (array['${LANGS.join("','")}'])[1 + r % 5], 2,
      case when ${state("r")} = 'growing' and c = 0 then null else true end, case when ${state("r")} = 'growing' and c = 0 then r % 3 else 3 end
    from generate_series(0, ${trees - 1}) r, generate_series(0, 3) c
    -- In growing trees, two assistant replies still take a prompter reply.
    where ${state("r")} <> 'growing' or c < 2`);
  await sqlClient.unsafe(`update messages m set children_count = (select count(*) from messages c where c.parent_id = m.id) where depth < 2`);
  await sqlClient.unsafe(`set session_replication_role = origin`);
  await sqlClient.unsafe(`analyze`);
  return trees;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const fmt = (ms: number) => ms.toFixed(2);

async function measure(times: number, work: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  let errors = 0;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    try {
      await work(i);
    } catch {
      errors++;
    }
    ms.push(performance.now() - start);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), errors };
}

const name = `oa_handout_bench_${process.pid}`;
const url = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}"`);
const { db, close } = connectDatabase(url, { max: 4 });
const generator = postgres(url, { max: 1, onnotice: () => {} });
try {
  await migrateDatabase(url);
  const users = 20_000;
  console.log(`[bench] generating ${size.messages} messages into ${name} …`);
  let start = performance.now();
  const trees = await generate(generator, users);
  const generationMs = performance.now() - start;
  start = performance.now();
  const workRows = await rebuildTaskWork(db);
  const rebuildMs = performance.now() - start;
  const [counts] = await db.execute<{ messages: number }>(sql`select count(*)::int as messages from messages`);
  console.log(`[bench] ${counts!.messages} messages, ${trees} trees in ${Math.round(generationMs)} ms; ${workRows} work rows rebuilt in ${Math.round(rebuildMs)} ms`);

  // Raised caps, as in a campaign (issue 15): the default 10 growing trees per language would leave most idle.
  const deps = defaultTreeDeps({ ...DEFAULT_TREE_MANAGER_CONFIG, maxActiveTrees: size.growing });
  const userId = (i: number) => sql`(select id from users where email = ${`hb-${i}@example.test`})`;
  const ids: string[] = [];
  for (let i = 0; i < users; i += 1) ids.push(i.toString());
  const idOf = async (i: number) => (await db.execute<{ id: string }>(sql`select ${userId(i)} as id`))[0]!.id;
  const actors = await Promise.all(Array.from({ length: size.requests * 10 }, (_, i) => idOf(i)));

  const loadBefore = loadavg()[0]!.toFixed(1);
  const floor = await measure(size.requests * 3, () => db.execute(sql`select 1`));
  const floorTx = await measure(size.requests * 3, () => db.transaction((tx) => tx.execute(sql`select 1`)));
  const types: TaskRequestType[] = ["random", "label_initial_prompt", "label_assistant_reply", "label_prompter_reply", "assistant_reply", "prompter_reply", "rank_assistant_replies", "initial_prompt"];
  const rows: string[] = [];
  let next = 0;
  for (const type of types) {
    const result = await measure(size.requests, () => requestTask(db, { userId: actors[next++ % actors.length]!, apiClientId: null }, { type, lang: "en" }, deps));
    rows.push(`| \`${type}\` | ${fmt(result.p50)} | ${fmt(result.p95)} | ${(result.p50 / floorTx.p50).toFixed(1)} | ${result.errors} |`);
    console.log(`[bench] ${type}: p50 ${fmt(result.p50)} ms, p95 ${fmt(result.p95)} ms, errors ${result.errors}`);
  }
  const availability = await measure(size.requests, (i) => taskAvailability(db, actors[i]!, "en", deps));
  rows.push(`| availability | ${fmt(availability.p50)} | ${fmt(availability.p95)} | ${(availability.p50 / floorTx.p50).toFixed(1)} | ${availability.errors} |`);
  const loadAfter = loadavg()[0]!.toFixed(1);
  const [version] = await db.execute<{ version: string }>(sql`select version()`);

  const report = `# Task hand-out micro benchmark

Generated by \`npx tsx bench/handout-micro.ts --messages=${size.messages} --growing=${size.growing} --ranking=${size.ranking} --requests=${size.requests}\` on ${new Date().toISOString().slice(0, 10)}.

- ${version!.version.split(" on ")[0]}, untuned, on the same machine as the script: ${cpus().length} CPU cores shared with other work
  (1-minute load average ${loadBefore} before the requests, ${loadAfter} after).
- Data: ${counts!.messages.toLocaleString("en")} messages in ${trees.toLocaleString("en")} trees of up to 9 messages over 5 languages; per language
  ${size.growing.toLocaleString("en")} growing trees (7 messages, a quarter of the assistant replies and one prompter reply awaiting reviews), ${size.ranking.toLocaleString("en")} in ranking, 50 prompts in
  review, the rest ready for export. Generated set-based in ${Math.round(generationMs / 1000)} s with the triggers off; \`rebuildTaskWork\` then
  built ${workRows.toLocaleString("en")} work rows in ${(rebuildMs / 1000).toFixed(1)} s.
- \`maxActiveTrees\` raised to ${size.growing} (a campaign's cap); each request by another user (no pending limit, no
  reservations of their own), in English, one at a time: this measures the cost of one hand-out, not throughput.

Floors in the same run: \`select 1\` p50 ${fmt(floor.p50)} ms / p95 ${fmt(floor.p95)} ms; an empty transaction with \`select 1\`
p50 ${fmt(floorTx.p50)} ms / p95 ${fmt(floorTx.p95)} ms.

| request | p50 ms | p95 ms | p50 / empty transaction | errors |
|---|---|---|---|---|
${rows.join("\n")}

\`errors\` counts requests answered "no task" (none is expected: every type has work in this data).
`;
  writeFileSync(path.join(import.meta.dirname, "handout-micro.results.md"), report);
  console.log(report);
} finally {
  await generator.end();
  await close();
  if (!keep) await admin.unsafe(`drop database "${name}" with (force)`);
  await admin.end();
}
