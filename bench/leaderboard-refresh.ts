/**
 * Leaderboard refresh benchmark: `npx tsx bench/leaderboard-refresh.ts [--users=100000] [--messages=1000000] [--keep]
 * [--db=NAME]` with DATABASE_URL pointing at a PostgreSQL server. Creates a fresh database next to it, migrates it,
 * generates the data with set-based SQL (leaderboard-refresh-data.ts), times the repair from the sources
 * (`repairAllBoards`), the full rebuild of every board from the rollup (`rebuildAllBoards`), the previous
 * from-source rebuild (and checks that both give the same rows), every refresh job body, the dirty-user flush and the
 * leaderboard read next to floors measured in the same run, appends a dated section to
 * bench/leaderboard-refresh.results.md and drops the database (unless --keep). `--db=NAME` reuses a database kept by
 * an earlier run (no generation, not dropped), or creates and keeps it when it does not exist.
 */
import { cpus, loadavg } from "node:os";
import { appendFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { connectDatabase } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { flushDirtyUsers } from "../src/server/domain/leaderboard/flush-dirty-users";
import { getMyStats } from "../src/server/domain/leaderboard/my-stats";
import { getLeaderboard } from "../src/server/domain/leaderboard/read-leaderboard";
import { type AdvanceResults, advanceBoards, rebuildAllBoards, rebuildBoards, repairAllBoards } from "../src/server/domain/leaderboard/rebuild-boards";
import { refreshTrollStatsFrames } from "../src/server/domain/leaderboard/refresh-troll-stats";
import { refreshUserStatsFrames } from "../src/server/domain/leaderboard/refresh-user-stats";
import { TIME_FRAMES } from "../src/server/domain/leaderboard/time-frames";
import { refreshCachedStats } from "../src/server/domain/stats/cached-stats";
import { withJobLock } from "../src/server/inngest/job-lock";
import { type BenchCounts, generateBenchData } from "./leaderboard-refresh-data";
import { flag, numberFlag } from "./cli-flags";

const size = { users: numberFlag("users", 100_000), messages: numberFlag("messages", 1_000_000) };
const reuse = flag("db");
const keep = process.argv.includes("--keep") || reuse !== undefined;
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl?.startsWith("postgres")) {
  console.error("Set DATABASE_URL to a PostgreSQL server (a fresh database is created next to it).");
  process.exit(2);
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: Math.round(performance.now() - start), result };
}

/** Median milliseconds (one decimal) of `runs` sequential calls. */
async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(runs / 2)]! * 10) / 10;
}

const name = reuse ?? `oa_bench_${process.pid}`;
const url = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
// `--db=NAME` of a database that does not exist yet: create and fill it, and keep it for the next run.
const exists = reuse !== undefined && (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
if (!exists) await admin.unsafe(`create database "${name}"`);
const { db, close } = connectDatabase(url, { max: 4 });

/**
 * Copies both boards aside and empties them, for a comparison with the boards a later computation writes. Plain
 * (unlogged) tables, not temporary ones: the pool's next statement may run on another connection.
 */
async function setBoardsAside() {
  await db.execute(sql`drop table if exists bench_rollup_users, bench_rollup_trolls`);
  await db.execute(sql`create unlogged table bench_rollup_users as select * from user_stats`);
  await db.execute(sql`create unlogged table bench_rollup_trolls as select * from troll_stats`);
  await db.execute(sql`delete from user_stats`);
  await db.execute(sql`delete from troll_stats`);
}

/** Both boards from the contributions at `at` (the from-source statements, one per board, side by side). */
const rebuildFromSource = (at: Date) =>
  Promise.all([
    withJobLock(db, TIME_FRAMES.map((f) => `leaderboard:${f}`), (tx) => refreshUserStatsFrames(tx, TIME_FRAMES, at)),
    withJobLock(db, TIME_FRAMES.map((f) => `troll-stats:${f}`), (tx) => refreshTrollStatsFrames(tx, TIME_FRAMES, at)),
  ]);

const figures = (table: "users" | "trolls") => sql.raw(`select user_id, time_frame, ${table === "users" ? "leader_score, prompts, replies_assistant, replies_prompter, labels_simple, labels_full, rankings_total, rankings_good, accepted_prompts, accepted_replies_assistant, accepted_replies_prompter, reply_ranked_1, reply_ranked_2, reply_ranked_3" : "troll_score, red_flags, upvotes, downvotes, spam_prompts, quality, humor, toxicity, violence, helpfulness, spam, lang_mismatch, not_appropriate, pii, hate_speech, sexual_content, political_content"}`);

/** Rows whose figures differ between the boards and the copies `setBoardsAside` made (which are then dropped). */
async function rowsDifferingFromAside() {
  const [diff] = await db.execute<{ users: number; trolls: number; rows: number }>(sql`select
    (select count(*) from ((${figures("users")} from user_stats except all ${figures("users")} from bench_rollup_users)
      union all (${figures("users")} from bench_rollup_users except all ${figures("users")} from user_stats)) d)::int as users,
    (select count(*) from ((${figures("trolls")} from troll_stats except all ${figures("trolls")} from bench_rollup_trolls)
      union all (${figures("trolls")} from bench_rollup_trolls except all ${figures("trolls")} from troll_stats)) d)::int as trolls,
    (select count(*) from user_stats)::int + (select count(*) from troll_stats)::int as rows`);
  await db.execute(sql`drop table bench_rollup_users, bench_rollup_trolls`);
  return diff!;
}
try {
  await migrateDatabase(url);
  console.log(`[bench] generating ${size.users} users / ${size.messages} messages into ${name} …`);
  const generation = exists
    ? { ms: Number.NaN, result: (await db.execute<BenchCounts>(sql`
        select (select count(*) from users)::int as users, (select count(*) from messages)::int as messages,
          (select count(*) from message_tree_states)::int as trees, (select count(*) from tasks where type::text like 'label_%')::int as "labelTasks",
          (select count(*) from message_reactions)::int as rankings, (select count(*) from text_labels)::int as "textLabels"`))[0]! }
    : await timed(() => generateBenchData(db, size));
  console.log(`[bench] generated in ${generation.ms} ms`, generation.result);
  await db.execute(sql`delete from user_stats`);
  await db.execute(sql`delete from troll_stats`);
  await db.execute(sql`vacuum analyze user_stats, troll_stats`);
  const now = new Date(); // one instant for every rebuild below, so their rows can be compared

  // Floor: one bare pass over each source table the boards read (what any rebuild from the contributions costs at
  // least), measured right before the rebuilds.
  const scanFloor: Record<string, number> = {};
  for (const table of ["messages", "tasks", "text_labels", "message_reactions"]) {
    scanFloor[table] = await median(3, () => db.execute(sql.raw(`select count(*) from ${table}`)));
  }
  const scanFloorTotal = Math.round(Object.values(scanFloor).reduce((a, b) => a + b, 0));

  // The repair from the contributions: the rollup rewritten from the sources (the generator wrote behind the
  // triggers' back), then every board from it.
  const loadRepair = loadavg()[0]!.toFixed(1);
  const repair = await timed(() => repairAllBoards(db, now));
  await db.execute(sql`vacuum analyze leaderboard_rollup, user_stats, troll_stats`);
  const [rollupSize] = await db.execute<{ rows: number; size: string }>(sql`
    select count(*)::int as rows, pg_size_pretty(pg_total_relation_size('leaderboard_rollup')) as size from leaderboard_rollup`);
  const rollupFloor = await median(3, () => db.execute(sql`select count(*) from leaderboard_rollup`));
  console.log(`[bench] repair from the sources: ${repair.ms} ms (${repair.result.rollupRows} rollup rows); scan floor ${scanFloorTotal} ms, rollup scan ${rollupFloor} ms`);

  const rebuilds: string[] = [];
  const rebuildRow = async (pass: string, work: () => Promise<unknown>) => {
    const loadNow = loadavg()[0]!.toFixed(1);
    const run = await timed(work);
    rebuilds.push(`| ${pass} | **${run.ms}** | ${scanFloorTotal} | ${(run.ms / scanFloorTotal).toFixed(2)}× | ${rollupFloor} | ${(run.ms / rollupFloor).toFixed(1)}× | ${loadNow} |`);
    console.log(`[bench] ${pass}: ${run.ms} ms (load ${loadNow})`);
    return run.ms;
  };
  rebuilds.push(`| repair from the sources (\`repairAllBoards\`: rollup rewritten, then every board; empty boards) | ${repair.ms} | ${scanFloorTotal} | ${(repair.ms / scanFloorTotal).toFixed(1)}× | | | ${loadRepair} |`);
  for (let pass = 1; pass <= 3; pass++) await rebuildRow(`\`rebuildAllBoards\` from the rollup, current boards (run ${pass})`, () => rebuildAllBoards(db, now));
  await setBoardsAside();
  await db.execute(sql`vacuum analyze user_stats, troll_stats`);
  await rebuildRow("`rebuildAllBoards` from the rollup, empty boards (every row written)", () => rebuildAllBoards(db, now));
  const later = new Date(now.getTime() + 3_600_000);
  await rebuildRow("`rebuildAllBoards` an hour later (the day window moved: some rows change)", () => rebuildAllBoards(db, later));
  await rebuildRow("`rebuildAllBoards` back at the first instant", () => rebuildAllBoards(db, now));

  // The previous rebuild, from the contributions (one statement per board), for the ratio — and the proof at scale:
  // its rows must equal the rollup's.
  const loadSource = loadavg()[0]!.toFixed(1);
  const source = await timed(async () => {
    await db.execute(sql`delete from user_stats`);
    await db.execute(sql`delete from troll_stats`);
    await rebuildFromSource(now);
  });
  rebuilds.push(`| the previous rebuild from the contributions (both from-source statements side by side, empty boards) | ${source.ms} | ${scanFloorTotal} | ${(source.ms / scanFloorTotal).toFixed(1)}× | | | ${loadSource} |`);
  console.log(`[bench] from-source rebuild: ${source.ms} ms`);
  const diff = await rowsDifferingFromAside();
  console.log(`[bench] rows differing between the rollup rebuild and the from-source rebuild: ${diff.users} + ${diff.trolls} of ${diff.rows}`);
  await rebuildAllBoards(db, now);

  // Keeping every board current: the scheduled advance moves each window from its recorded start to the current
  // one, recomputing only the users with contributions in between. All frames of both boards at once, from the
  // boards as they were at `now`, at the jobs' cadences and across the next UTC midnight (the week and month move
  // by a day: the largest advance of a day). Floors: `select 1` and one pass over the rollup.
  const advanceFloor = await median(31, () => db.execute(sql`select 1`));
  const midnightAfter = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 0, 1));
  const advances: string[] = [];
  const recomputedOf = (result: AdvanceResults) =>
    TIME_FRAMES.map((frame) => {
      const counts = [result.leaderboards, result.trollboards].map((board) => board?.find((f) => f.timeFrame === frame)?.recomputed ?? 0);
      return `${frame} ${counts.join("/")}`;
    }).join(", ");
  let advancedTo = now;
  for (const [label, at] of [
    ["a minute later", new Date(now.getTime() + 60_000)],
    ["five minutes later (the day board's cadence)", new Date(now.getTime() + 6 * 60_000)],
    ["an hour later (the month board's cadence)", new Date(now.getTime() + 66 * 60_000)],
    ["to five minutes before the next UTC midnight (catching up the rest of the day)", new Date(midnightAfter.getTime() - 6 * 60_000)],
    ["past that midnight (week and month move a day)", midnightAfter],
    ["a minute after that", new Date(midnightAfter.getTime() + 60_000)],
  ] as const) {
    const loadNow = loadavg()[0]!.toFixed(1);
    const run = await timed(() => advanceBoards(db, TIME_FRAMES, at));
    advances.push(`| ${label} | **${run.ms}** | ${recomputedOf(run.result)} | ${advanceFloor} | ${(run.ms / advanceFloor).toFixed(0)}× | ${rollupFloor} | ${(run.ms / rollupFloor).toFixed(1)}× | ${loadNow} |`);
    console.log(`[bench] advance ${label}: ${run.ms} ms (${recomputedOf(run.result)})`);
    advancedTo = at;
  }
  // The proof at scale: the advanced boards equal a from-source rebuild at the last instant.
  await setBoardsAside();
  await rebuildFromSource(advancedTo);
  const advanceDiff = await rowsDifferingFromAside();
  console.log(`[bench] rows differing between the advanced boards and the from-source rebuild: ${advanceDiff.users} + ${advanceDiff.trolls} of ${advanceDiff.rows}`);
  await repairAllBoards(db, new Date());

  // One frame of one board rebuilt in full from the rollup (a job's first run, a repair).
  const loadBefore = loadavg()[0]!.toFixed(1);
  const rows: string[] = [];
  for (const timeFrame of TIME_FRAMES) {
    const users = await timed(() => rebuildBoards(db, [timeFrame], new Date(), { leaderboards: true, trollboards: false }));
    const trolls = await timed(() => rebuildBoards(db, [timeFrame], new Date(), { leaderboards: false, trollboards: true }));
    const count = (run: typeof users, board: "leaderboards" | "trollboards") => run.result[board]?.[0]?.rows ?? 0;
    rows.push(`| ${timeFrame} | ${users.ms} | ${count(users, "leaderboards")} | ${trolls.ms} | ${count(trolls, "trollboards")} |`);
    console.log(`[bench] ${timeFrame}: leaderboard ${users.ms} ms, trollboard ${trolls.ms} ms`);
  }
  const cached = await timed(() => withJobLock(db, "cached-stats", (tx) => refreshCachedStats(tx)));
  await db.execute(sql`delete from leaderboard_dirty_users`);

  // Floors, measured now: a round trip, and reading one user's row by its key.
  const floorSelect = await median(31, () => db.execute(sql`select 1`));
  const viewer = await db.execute<{ user_id: string }>(sql`select s.user_id from user_stats s join users u on u.id = s.user_id
    where s.time_frame = 'total' and u.show_on_leaderboard and u.enabled order by s.leader_score desc, s.user_id
    offset least(4999, (select count(*) from user_stats where time_frame = 'total') / 2) limit 1`);
  const viewerId = viewer[0]!.user_id;
  const floorRow = await median(31, () => db.execute(sql`select * from user_stats where time_frame = 'total' and user_id = ${viewerId}`));

  // What contributions cost: their authors (and, for a consensus rank, the rankers) marked as the triggers mark
  // them, folded in by the next read. The most active users are the most expensive to recompute.
  const active = await db.execute<{ user_id: string }>(sql`select user_id from user_stats where time_frame = 'total'
    order by prompts + replies_assistant + replies_prompter + labels_full + labels_simple + rankings_total desc limit 1000`);
  const flushes: string[] = [];
  for (const n of [1, 10, 100, 1000]) {
    const ids = `{${active.slice(0, n).map((row) => row.user_id).join(",")}}`;
    const ms = await median(n >= 1000 ? 3 : 7, async () => {
      await db.execute(sql`insert into leaderboard_dirty_users (user_id) select unnest(${ids}::uuid[])`);
      await flushDirtyUsers(db);
    });
    flushes.push(`| ${n} | ${ms} | ${(ms / floorSelect).toFixed(0)}× |`);
    console.log(`[bench] flush of ${n} dirty users: ${ms} ms (marking included)`);
  }
  // Reads: the flushes above leave marks (a flush takes 100 users a call), and a read folds pending marks in first, so
  // drain them, or the reads would measure flushes. Then once as the writes left the table (a stale visibility map:
  // the rank counts fetch heap rows) and once vacuumed (what autovacuum keeps it at, migration leaderboard_autovacuum).
  while ((await flushDirtyUsers(db)) > 0);
  const reads = async () => ({
    read: await median(11, () => getLeaderboard(db, { timeFrame: "total", page: 1, pageSize: 20, viewerId, windowSize: 3 })),
    deepPage: await median(11, () => getLeaderboard(db, { timeFrame: "total", page: 2000, pageSize: 20, viewerId: null, windowSize: 3 })),
    myStats: await median(11, () => getMyStats(db, viewerId)),
  });
  const staleReads = await reads();
  await db.execute(sql`vacuum analyze user_stats`);
  const { read, deepPage, myStats } = await reads();
  const setting = async (name: string) => ((await admin.unsafe(`show ${name}`))[0] as Record<string, string>)[name];
  const serverVersion = await setting("server_version");
  const memory = `shared_buffers ${await setting("shared_buffers")}, work_mem ${await setting("work_mem")}`;

  const report = `
## ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC — rebuild from the leaderboard rollup

Generated by \`npx tsx bench/leaderboard-refresh.ts --users=${size.users} --messages=${size.messages}${reuse ? ` --db=${reuse}` : ""}\`.

- PostgreSQL ${serverVersion}, untuned (${memory}), on the same machine as the script: ${cpus().length} CPU cores
  (${cpus()[0]?.model ?? "unknown"}) shared with other work; 1-minute load average next to each figure.
- Data (${exists ? `kept from an earlier run in ${name}` : `set-based generation took ${(generation.ms / 1000).toFixed(1)} s`}): ${Object.entries(generation.result).map(([key, value]) => `${value.toLocaleString("en")} ${key}`).join(", ")}.
  Rollup after the repair: ${rollupSize!.rows.toLocaleString("en")} rows, ${rollupSize!.size}.

### Full rebuild of every board

\`rebuildAllBoards\` reads \`leaderboard_rollup\` (per user and UTC minute/day bucket, each row the user's figures from
its bucket on; src/server/domain/leaderboard/rollup.ts): one row per user and frame, picked during one scan (a hash
lookup of each row's span among the frame starts), compared with both boards in one read PostgreSQL runs in parallel
(src/server/domain/leaderboard/boards-from-rollup.ts; the changes go to a temporary table), then the rows that changed
written; the day rows of the users with contributions in the day board's edge minute (read from the sources) in a
second statement. Floors, same run: one bare \`count(*)\` pass over each source table
(${Object.entries(scanFloor).map(([table, ms]) => `${table} ${ms} ms`).join(", ")}; sum ${scanFloorTotal} ms) and over the rollup (${rollupFloor} ms).

| run | ms | source scan floor (ms) | ratio | rollup scan floor (ms) | ratio | load avg |
|---|---|---|---|---|---|---|
${rebuilds.join("\n")}

Rows differing between the rollup rebuild and the from-source rebuild at the same instant: **${diff.users} (leaderboards) + ${diff.trolls} (trollboards)** of ${diff.rows}.

### Keeping every board current: \`advanceBoards\` (the scheduled jobs)

Every frame of both boards moved from the windows of the run's first instant to later ones, in sequence; "users
recomputed" per frame as leaderboard/trollboard. Floors, same run: \`select 1\` ${advanceFloor} ms; one pass over the
rollup ${rollupFloor} ms.

| advance of all eight boards | ms | users recomputed | \`select 1\` (ms) | ratio | rollup scan (ms) | ratio | load avg |
|---|---|---|---|---|---|---|---|
${advances.join("\n")}

Rows differing between the advanced boards and a from-source rebuild at the last instant: **${advanceDiff.users} (leaderboards) + ${advanceDiff.trolls} (trollboards)** of ${advanceDiff.rows}.

### One frame of one board rebuilt in full from the rollup (\`rebuildBoards\`: a job's first run, a repair)

| time frame | leaderboard ms | rows | trollboard ms | rows |
|---|---|---|---|---|
${rows.join("\n")}

Load average before: ${loadBefore}. Cached statistics (\`refreshCachedStats\`, all six): ${cached.ms} ms.

### Incremental: a contribution reaches every board at once

\`flushDirtyUsers\` rewrites the marked users' rollup rows from their contributions, then their rows of every frame of
both boards from the rollup. Floors, same run: \`select 1\` ${floorSelect} ms; one \`user_stats\` row by its key ${floorRow} ms.

| dirty users | flush ms (marking included) | ratio to \`select 1\` |
|---|---|---|
${flushes.join("\n")}

### Reads (medians of 11, ranks computed when read)

No marks pending. Vacuumed: the table as autovacuum keeps it; as written: right after the rebuilds and flushes above.

| read | ms, vacuumed | ratio to the one-row floor | ms, as written |
|---|---|---|---|
| total board, page 1, with the viewer's window around rank 5000 | ${read} | ${(read / floorRow).toFixed(0)}× | ${staleReads.read} |
| total board, page 2000 | ${deepPage} | ${(deepPage / floorRow).toFixed(0)}× | ${staleReads.deepPage} |
| one user's stats in all four frames with their ranks (dashboard, user menu) | ${myStats} | ${(myStats / floorRow).toFixed(0)}× | ${staleReads.myStats} |

Load average at the end: ${loadavg()[0]!.toFixed(1)}.
`;
  appendFileSync(path.join(import.meta.dirname, "leaderboard-refresh.results.md"), report);
  console.log(report);
} finally {
  await close();
  if (!keep) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
}
