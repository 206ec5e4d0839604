/**
 * Leaderboard refresh benchmark: `npx tsx bench/leaderboard-refresh.ts [--users=100000] [--messages=1000000] [--keep]
 * [--db=NAME]` with DATABASE_URL pointing at a PostgreSQL server. Creates a fresh database next to it, migrates it,
 * generates the data with set-based SQL (leaderboard-refresh-data.ts), times the full rebuild of every board
 * (`rebuildAllBoards`), every refresh job body and the leaderboard read next to floors measured in the same run, writes
 * bench/leaderboard-refresh.results.md and drops the database (unless --keep). `--db=NAME` reuses a database kept by
 * an earlier run (no generation, not dropped).
 */
import { cpus, loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { connectDatabase } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { flushDirtyUsers } from "../src/server/domain/leaderboard/flush-dirty-users";
import { getMyStats } from "../src/server/domain/leaderboard/my-stats";
import { getLeaderboard } from "../src/server/domain/leaderboard/read-leaderboard";
import { rebuildAllBoards } from "../src/server/domain/leaderboard/rebuild-boards";
import { refreshTrollStats, refreshTrollStatsFrames } from "../src/server/domain/leaderboard/refresh-troll-stats";
import { refreshUserStats, refreshUserStatsFrames } from "../src/server/domain/leaderboard/refresh-user-stats";
import { TIME_FRAMES } from "../src/server/domain/leaderboard/time-frames";
import { refreshCachedStats } from "../src/server/domain/stats/cached-stats";
import { withJobLock } from "../src/server/inngest/job-lock";
import { type BenchCounts, generateBenchData } from "./leaderboard-refresh-data";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const size = { users: arg("users", 100_000), messages: arg("messages", 1_000_000) };
const reuse = process.argv.find((a) => a.startsWith("--db="))?.split("=")[1];
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
if (!reuse) await admin.unsafe(`create database "${name}"`);
const { db, close } = connectDatabase(url, { max: 4 });
try {
  await migrateDatabase(url);
  console.log(`[bench] generating ${size.users} users / ${size.messages} messages into ${name} …`);
  const generation = reuse
    ? { ms: Number.NaN, result: (await db.execute<BenchCounts>(sql`
        select (select count(*) from users)::int as users, (select count(*) from messages)::int as messages,
          (select count(*) from message_tree_states)::int as trees, (select count(*) from tasks where type::text like 'label_%')::int as "labelTasks",
          (select count(*) from message_reactions)::int as rankings, (select count(*) from text_labels)::int as "textLabels"`))[0]! }
    : await timed(() => generateBenchData(db, size));
  console.log(`[bench] generated in ${generation.ms} ms`, generation.result);
  await db.execute(sql`delete from user_stats`);
  await db.execute(sql`delete from troll_stats`);
  await db.execute(sql`vacuum analyze user_stats, troll_stats`);

  // Floor: one bare pass over each source table the boards read (what any rebuild from the contributions costs at
  // least), measured right before the rebuilds.
  const scanFloor: Record<string, number> = {};
  for (const table of ["messages", "tasks", "text_labels", "message_reactions"]) {
    scanFloor[table] = await median(3, () => db.execute(sql.raw(`select count(*) from ${table}`)));
  }
  const scanFloorTotal = Math.round(Object.values(scanFloor).reduce((a, b) => a + b, 0));
  const rebuilds: string[] = [];
  for (const pass of ["empty boards (every row written)", "current boards (repair: nothing changed)"]) {
    const loadNow = loadavg()[0]!.toFixed(1);
    const both = await timed(() => rebuildAllBoards(db));
    const users = await timed(() => withJobLock(db, TIME_FRAMES.map((f) => `leaderboard:${f}`), (tx) => refreshUserStatsFrames(tx, TIME_FRAMES)));
    const trolls = await timed(() => withJobLock(db, TIME_FRAMES.map((f) => `troll-stats:${f}`), (tx) => refreshTrollStatsFrames(tx, TIME_FRAMES)));
    rebuilds.push(`| ${pass} | **${both.ms}** | ${users.ms} | ${trolls.ms} | ${scanFloorTotal} | ${(both.ms / scanFloorTotal).toFixed(1)}× | ${loadNow} |`);
    console.log(`[bench] rebuild of all boards, ${pass}: ${both.ms} ms (leaderboards alone ${users.ms}, trollboards alone ${trolls.ms}); scan floor ${scanFloorTotal} ms`);
  }

  const loadBefore = loadavg()[0]!.toFixed(1);
  const rows: string[] = [];
  for (const run of ["second"] as const) {
    for (const timeFrame of TIME_FRAMES) {
      // As the jobs run them: in a transaction holding the job's advisory lock, with the job's work memory.
      const users = await timed(() => withJobLock(db, `leaderboard:${timeFrame}`, (tx) => refreshUserStats(tx, timeFrame)));
      const trolls = await timed(() => withJobLock(db, `troll-stats:${timeFrame}`, (tx) => refreshTrollStats(tx, timeFrame)));
      const count = (run: typeof users) => (run.result.ran ? run.result.result.rows : 0);
      rows.push(`| ${run} | ${timeFrame} | ${users.ms} | ${count(users)} | ${trolls.ms} | ${count(trolls)} |`);
      console.log(`[bench] ${run} ${timeFrame}: user stats ${users.ms} ms (${count(users)} rows), troll stats ${trolls.ms} ms`);
    }
  }
  const cached = await timed(() => withJobLock(db, "cached-stats", (tx) => refreshCachedStats(tx)));
  await db.execute(sql`delete from leaderboard_dirty_users`); // the generator's own marks, folded in by the rebuild

  // Floors, measured now: a round trip, and reading one user's row by its key.
  const floorSelect = await median(31, () => db.execute(sql`select 1`));
  const viewer = await db.execute<{ user_id: string }>(sql`select user_id from user_stats where time_frame = 'total' and rank is not null order by abs(rank - 5000) limit 1`);
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
  const read = await median(11, () => getLeaderboard(db, { timeFrame: "total", page: 1, pageSize: 20, viewerId, windowSize: 3 }));
  const deepPage = await median(11, () => getLeaderboard(db, { timeFrame: "total", page: 2000, pageSize: 20, viewerId: null, windowSize: 3 }));
  const myStats = await median(11, () => getMyStats(db, viewerId));
  const allBoards = rows.filter((row) => row.startsWith("| second")).reduce((sum, row) => {
    const cells = row.split("|").map((cell) => cell.trim());
    return sum + Number(cells[3]) + Number(cells[5]);
  }, 0);
  const setting = async (name: string) => ((await admin.unsafe(`show ${name}`))[0] as Record<string, string>)[name];
  const serverVersion = await setting("server_version");
  const memory = `shared_buffers ${await setting("shared_buffers")}, work_mem ${await setting("work_mem")}`;

  const report = `# Leaderboard refresh benchmark

Generated by \`npx tsx bench/leaderboard-refresh.ts --users=${size.users} --messages=${size.messages}\` on ${new Date().toISOString().slice(0, 10)}.

- PostgreSQL ${serverVersion}, untuned (${memory}), on the same machine as the script: ${cpus().length} CPU cores
  (${cpus()[0]?.model ?? "unknown"}) shared with other work — 1-minute load average ${loadBefore} before the refreshes
  and ${loadavg()[0]!.toFixed(1)} after, and times grow with it (a run at load average 5 took up to twice as long).
- Data (${reuse ? `kept from an earlier run in ${name}` : `set-based generation took ${(generation.ms / 1000).toFixed(1)} s`}): ${Object.entries(generation.result).map(([key, value]) => `${value.toLocaleString("en")} ${key}`).join(", ")}.
  Dates spread over 60 days, denser towards today (13 % of everything in the last 24 hours, so even the day board
  has almost every user: a worst case); a third of the trees are scored (consensus ranks), 4 rankings each.

## Full rebuild of every board (the repair tool)

\`rebuildAllBoards\`: all four time frames of the leaderboard in one statement and all four of the trollboard in
another, run side by side on two connections (each in a transaction holding its jobs' advisory locks, with the jobs'
\`work_mem\`). Each statement makes one pass over its source tables, aggregating per user and *frame mask* (the frames
a row falls in), and writes only rows whose figures changed. Floor, same run: one bare \`count(*)\` pass over each
source table (${Object.entries(scanFloor).map(([table, ms]) => `${table} ${ms} ms`).join(", ")}; sum ${scanFloorTotal} ms).

| boards before the run | all boards, both statements side by side (ms) | leaderboards alone | trollboards alone | scan floor (ms) | ratio | load avg |
|---|---|---|---|---|---|---|
${rebuilds.join("\n")}

## One frame at a time (the scheduled jobs)

Milliseconds per call of \`refreshUserStats\` (leaderboard) and \`refreshTrollStats\` (trollboard) for one frame, as
the cron jobs run them, on current boards.

| pass | time frame | user stats ms | rows | troll stats ms | rows |
|---|---|---|---|---|---|
${rows.join("\n")}

- All eight boards one frame at a time: ${allBoards} ms. Cached statistics (\`refreshCachedStats\`, all six): ${cached.ms} ms.

## Incremental: a contribution reaches every board at once

Statement-level triggers (migration \`firstrun_leaderboard_triggers\`) mark the users whose figures a write changed in
\`leaderboard_dirty_users\`; every read of a board, of the dashboard or of the user menu first runs
\`flushDirtyUsers\`, which recomputes exactly those users with the statements above restricted to them (all four time
frames, both boards, one transaction). Floors, measured in the same run: \`select 1\` ${floorSelect} ms; one
\`user_stats\` row by its key ${floorRow} ms.

| dirty users | flush ms (marking included) | ratio to \`select 1\` |
|---|---|---|
${flushes.join("\n")}

(The most active users of the data set, each with dozens of messages, reviews and rankings.)

## Reads (medians of 11, ranks computed when read)

| read | ms | ratio to the one-row floor |
|---|---|---|
| total board, page 1, with the viewer's window around rank 5000 | ${read} | ${(read / floorRow).toFixed(0)}× |
| total board, page 2000 | ${deepPage} | ${(deepPage / floorRow).toFixed(0)}× |
| one user's stats in all four frames with their ranks (dashboard, user menu) | ${myStats} | ${(myStats / floorRow).toFixed(0)}× |

## Reading the numbers

- Each board's full rebuild is one set-based \`INSERT … ON CONFLICT\` (with the delete of users without activity in a
  frame) for all its frames: one pass over messages, label tasks, labels and reactions, hash-aggregated per user and
  frame mask, summed per frame, scored, ranked and upserted where changed. It is a repair tool that also re-bases the
  day, week and month windows; contributions never wait for it.
- Ranks are positions in (score desc, user id) among visible users, counted when read with the
  \`(time_frame, leader_score)\` index, so a contribution moves everyone's rank at once; deep pages pay for the offset.
- Work memory matters for the rebuild: with the default 4 MB the hash aggregates spill to disk; the jobs' 64 MB keeps
  them in memory.
- Issue 15's target: all boards rebuilt in ≤ 2 s on 100k users / 1M messages (see the first table, with its ratio to
  the bare scans; absolute times follow the machine's load).
`;
  writeFileSync(path.join(import.meta.dirname, "leaderboard-refresh.results.md"), report);
  console.log(report);
} finally {
  await close();
  if (!keep) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
}
