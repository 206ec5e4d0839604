/**
 * Moderator console list benchmark: `npx tsx bench/admin-lists.ts [--generate=200000] [--keep] [--runs=40]`.
 *
 * Without `--generate` it measures the database DATABASE_URL points at, as it is (e.g. the 1M-message benchmark
 * database). With `--generate=N` it creates a fresh database next to DATABASE_URL, migrates it and generates N
 * messages (word-salad texts in five languages, a user per ~10 messages, 2 % flagged) first, then drops it unless
 * `--keep`. Either way the queue is topped up to at least 2,000 open items inside a transaction that is rolled back at
 * the end, so the measured database is left exactly as it was. Each query runs `--runs` times after a warm-up; the
 * report gives p50/p95 next to `select 1` measured in the same run and writes bench/admin-lists.results.md.
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { connectDatabase, type Transaction } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { searchMessages } from "../src/server/domain/admin/messages";
import { searchUsers } from "../src/server/domain/admin/users";
import { drainSearchBacklog } from "../src/server/domain/messages/search-index";
import { listQueue, queueSummary } from "../src/server/domain/moderation/queue";
import { flag, numberFlag } from "./cli-flags";

const generate = flag("generate") ? Number(flag("generate")) : null;
const runs = numberFlag("runs", 40);
const keep = process.argv.includes("--keep");
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl?.startsWith("postgres")) {
  console.error("Set DATABASE_URL to a PostgreSQL database (measured as is), or add --generate=N to build one next to it.");
  process.exit(2);
}

const WORDS = "water plant light garden basil window soil sun leaf root grow dark cold warm tree seed flower pot rain dry green fresh spring autumn winter summer care help question answer recipe bread cook kitchen travel train city river mountain music guitar song book story write code python error server data model learn teach school math history science".split(" ");

async function generateData(url: string, messages: number) {
  const { db, close } = connectDatabase(url, { max: 2 });
  const users = Math.max(10, Math.floor(messages / 10));
  const words = `array[${WORDS.map((word) => `'${word}'`).join(",")}]`;
  // 8–20 words picked by hash: texts that full-text and substring search can tell apart.
  const text = (key: string) => sql.raw(`(select string_agg((${words})[1 + abs(hashtext(${key} || '-' || i)) % ${WORDS.length}], ' ') from generate_series(1, 8 + abs(hashtext(${key})) % 13) i)`);
  await db.execute(sql`
    insert into users (id, name, username, auth_method, email, tos_acceptance_date, last_activity_date, created_at)
    select md5('u' || g)::uuid, 'Contributor ' || g, 'user' || g, (array['discord','google','email','dev'])[1 + g % 4],
      'bench-' || g || '@example.test', now(), now() - (g % 90) * interval '1 day', now() - (g % 365) * interval '1 day'
    from generate_series(0, ${users - 1}::int) g`);
  const trees = Math.max(1, Math.floor(messages / 5));
  await db.execute(sql`
    insert into messages (id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_result, review_count, created_date, synthetic)
    select md5('r' || r)::uuid, md5('r' || r)::uuid, md5('u' || (r % ${users}))::uuid, 'prompter', 'r' || r, ${text("r::text")},
      (array['en','de','es','fr','ja'])[1 + r % 5], 0, r % 10 <> 0, 3, now() - (r % 720) * interval '1 hour', r % 50 = 0
    from generate_series(0, ${trees - 1}::int) r`);
  await db.execute(sql`
    insert into message_tree_states (message_tree_id, goal_tree_size, max_depth, max_children_count, state, active, lang)
    select md5('r' || r)::uuid, 9, 3, 4, (case when r % 3 = 0 then 'ready_for_export' else 'growing' end)::tree_state, r % 3 <> 0,
      (array['en','de','es','fr','ja'])[1 + r % 5]
    from generate_series(0, ${trees - 1}::int) r`);
  await db.execute(sql`
    insert into messages (id, parent_id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, review_result, created_date, deleted)
    select md5('a' || r || '-' || c)::uuid, md5('r' || r)::uuid, md5('r' || r)::uuid, md5('u' || ((r + (c + 1) * 7919) % ${users}))::uuid,
      'assistant', 'a' || r || '-' || c, ${text("(r || '-' || c)")}, (array['en','de','es','fr','ja'])[1 + r % 5], 1, (r + c) % 6 <> 0,
      now() - (r % 720) * interval '1 hour' + c * interval '1 minute', (r + c) % 40 = 0
    from generate_series(0, ${trees - 1}::int) r, generate_series(0, 3) c`);
  await db.execute(sql`insert into flagged_messages (message_id, created_date) select id, created_date from messages where abs(hashtext(id::text)) % 50 = 0`);
  await db.execute(sql`analyze`);
  await close();
  return { users, messages: trees * 5 };
}

class Rollback extends Error {}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(work: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

let url = serverUrl;
let drop = async () => {};
let generated: { users: number; messages: number } | null = null;
if (generate) {
  const name = `oa_bench_admin_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  url = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
  drop = async () => {
    if (!keep) await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
  await migrateDatabase(url);
  console.log(`[bench] generating ${generate} messages into ${name} …`);
  const started = performance.now();
  generated = await generateData(url, generate);
  console.log(`[bench] generated in ${Math.round(performance.now() - started)} ms`, generated);
  // The generated messages wait for the search indexer, as after an import; searches are measured once indexed.
  const indexer = connectDatabase(url, { max: 1 });
  await drainSearchBacklog(indexer.db);
  await indexer.close();
  console.log(`[bench] search index built in ${Math.round(performance.now() - started)} ms since the start of generation`);
}

const { db, close } = connectDatabase(url, { max: 2 });
const rows: string[] = [];
const facts: Record<string, string | number> = {};
try {
  const [counts] = await db.execute<{ messages: number; users: number; version: string; searchBacklog: number }>(sql`
    select (select count(*) from messages)::int as messages, (select count(*) from users)::int as users, version() as version,
      (select count(*) from message_search_backlog)::int as "searchBacklog"`);
  Object.assign(facts, counts);
  const moderatorId = (await db.execute<{ id: string }>(sql`select id from users order by id limit 1`))[0]?.id ?? crypto.randomUUID();
  const viewer = { userId: moderatorId, isModerator: true };
  await db.transaction(async (tx: Transaction) => {
    // Top the queue up (through the flagged_messages trigger, as real reports do); rolled back below.
    await tx.execute(sql`
      insert into flagged_messages (message_id)
      select id from messages where not exists (select 1 from flagged_messages f where f.message_id = messages.id)
      order by created_date desc limit greatest(0, 2000 - (select count(*) from moderation_queue_items where resolved_at is null))
      on conflict do nothing`);
    facts.openQueueItems = (await tx.execute<{ n: number }>(sql`select count(*)::int as n from moderation_queue_items where resolved_at is null`))[0]!.n;
    const sampleUser = (await tx.execute<{ id: string; name: string | null; email: string | null }>(sql`select id, name, email from users order by created_at desc limit 1 offset 7`))[0];
    // The cursor where page 5 of a very common prefix ends: keyset pages cost the same however deep.
    let deep: string | undefined;
    for (let page = 0; page < 5; page++) deep = (await searchUsers(tx, { q: "c", cursor: deep, limit: 20 })).nextCursor ?? undefined;
    const cases: [string, () => Promise<unknown>][] = [
      ["select 1 (floor)", () => tx.execute(sql`select 1`)],
      ["queue: oldest first, 20 items with context", () => listQueue(tx, viewer, { order: "oldest", limit: 20 })],
      ["queue: newest first, kind + language filter", () => listQueue(tx, viewer, { order: "newest", kind: "flagged", lang: "de", limit: 20 })],
      ["queue: summary (home page)", () => queueSummary(tx)],
      ["users: name prefix", () => searchUsers(tx, { q: (sampleUser?.name ?? "contributor 1").slice(0, 14), limit: 20 })],
      ["users: email prefix, case-insensitive", () => searchUsers(tx, { q: (sampleUser?.email ?? "bench").slice(0, 9).toUpperCase(), limit: 20 })],
      ["users: id prefix", () => searchUsers(tx, { q: (sampleUser?.id ?? "3fa85f64").slice(0, 6), limit: 20 })],
      ["users: common prefix, page 6 (keyset)", () => searchUsers(tx, { q: "c", cursor: deep, limit: 20 })],
      ["messages: newest, no filter", () => searchMessages(tx, viewer, { q: "", mode: "words", deleted: "any", flagged: "any", toxic: "any", synthetic: "any", limit: 20 }, 0.9)],
      ["messages: full-text, common words", () => searchMessages(tx, viewer, { q: "water garden", mode: "words", deleted: "any", flagged: "any", toxic: "any", synthetic: "any", limit: 20 }, 0.9)],
      ["messages: full-text, rare phrase", () => searchMessages(tx, viewer, { q: "\"guitar recipe\" -python", mode: "words", deleted: "any", flagged: "any", toxic: "any", synthetic: "any", limit: 20 }, 0.9)],
      ["messages: substring (trigram)", () => searchMessages(tx, viewer, { q: "ountain mus", mode: "substring", deleted: "any", flagged: "any", toxic: "any", synthetic: "any", limit: 20 }, 0.9)],
      ["messages: language + deleted only", () => searchMessages(tx, viewer, { q: "", mode: "words", lang: "fr", deleted: "only", flagged: "any", toxic: "any", synthetic: "any", limit: 20 }, 0.9)],
      ["messages: flagged only", () => searchMessages(tx, viewer, { q: "", mode: "words", deleted: "any", flagged: "only", toxic: "any", synthetic: "any", limit: 20 }, 0.9)],
    ];
    let floor = 0;
    for (const [label, work] of cases) {
      const { p50, p95 } = await measure(work);
      if (!floor) floor = p95;
      rows.push(`| ${label} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${(p95 / floor).toFixed(0)}× |`);
      console.log(`[bench] ${label}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
    }
    throw new Rollback();
  }).catch((error: unknown) => {
    if (!(error instanceof Rollback)) throw error;
  });
} finally {
  await close();
  await drop();
}

const report = `# Moderator console lists benchmark

Generated by \`npx tsx bench/admin-lists.ts ${process.argv.slice(2).join(" ")}\` on ${new Date().toISOString().slice(0, 10)}.

- ${String(facts.version).split(" on ")[0]}, on the same machine as the script: ${cpus().length} CPU cores shared with other work
  (1-minute load average ${loadavg()[0]!.toFixed(1)} at the end).
- Database: ${generated ? `generated by the script (${generated.users} users, ${generated.messages} messages, word-salad texts in 5 languages, 2 % flagged)` : "as given by DATABASE_URL"}:
  ${facts.messages} messages (${facts.searchBacklog} of them waiting for the search indexer), ${facts.users} users, ${facts.openQueueItems} open queue items during the run (topped up inside a
  transaction that was rolled back).
- ${runs} timed runs per query after 3 warm-up runs, one connection, the queries the console's procedures run (domain
  functions, including the loading of conversations, reports and toxicity for queue items). Target: p95 ≤ 100 ms.

| query | p50 ms | p95 ms | p95 / floor |
|---|---|---|---|
${rows.join("\n")}
`;
writeFileSync(path.join(import.meta.dirname, "admin-lists.results.md"), report);
console.log(report);
