import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { leaderboardDirtyUsers, leaderboardRollup } from "@/server/db/schema";
import { generateBenchData } from "../../../../bench/leaderboard-refresh-data";
import { setupTestDatabase } from "@/test/database";
import { boardRows, boardsFromSource } from "./board-reference.test-helper";
import { flushDirtyUsers } from "./flush-dirty-users";
import { type AdvanceResult, advanceBoards, rebuildAllBoards, rebuildBoards, repairAllBoards } from "./rebuild-boards";
import { readEdge, refreshBoardsFromRollup } from "./boards-from-rollup";
import { lockRollup, refreshRollup, ROLLUP_COLUMNS } from "./rollup";
import { TIME_FRAMES } from "./time-frames";

const t = setupTestDatabase();

const boards = () => boardRows(t.db);
const fromSource = (now: Date) => boardsFromSource(t.db, now);

const flushAll = async (now: Date) => {
  while ((await flushDirtyUsers(t.db, now)) > 0);
};

const MINUTE = 60_000;

/** The generated data of the first test (generated here when a test runs alone). */
async function ensureData() {
  const [users] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from users`);
  if (users!.n === 0) await generateBenchData(t.db, { users: 300, messages: 240 * 9 });
}

/**
 * Edits, deletes and label changes of every kind a board counts, on the benchmark's generated data, through plain SQL
 * (the triggers mark the users, as for any write path), plus contributions around the day board's start (the only
 * bucket that straddles a frame) and a ranking added after the consensus (it moves the ranked replies' date).
 */
async function mutate(now: Date, round: number) {
  const edge = new Date(now.getTime() - 24 * 60 * MINUTE);
  const pick = (n: number) => sql.raw(String(n));
  await t.db.execute(sql`update messages set deleted = true where id in (select id from messages where not deleted order by md5(id::text || ${round}) limit 40)`);
  // A consensus winner deleted: its rankers' good rankings drop.
  await t.db.execute(sql`update messages set deleted = true where id in (select id from messages where rank = 0 and not deleted order by md5(id::text || ${round}) limit 5)`);
  await t.db.execute(sql`update messages set review_result = not coalesce(review_result, false) where id in (select id from messages order by md5(id::text || 'r' || ${round}) limit 60)`);
  await t.db.execute(sql`update messages set emojis = jsonb_build_object('+1', 3, '-1', ${pick(round)}, 'red_flag', 2) where id in (select id from messages order by md5(id::text || 'e' || ${round}) limit 60)`);
  // A new consensus on a few trees: ranks swapped.
  await t.db.execute(sql`update messages set rank = case rank when 0 then 1 when 1 then 0 else rank end
    where parent_id in (select distinct parent_id from messages where rank is not null order by parent_id limit 6 offset ${pick(round * 6)})`);
  await t.db.execute(sql`update text_labels set labels = labels || jsonb_build_object('spam', 1, 'hate_speech', 0.9, 'quality', 0, 'violence', 0.3)
    where id in (select id from text_labels order by md5(id::text || ${round}) limit 80)`);
  await t.db.execute(sql`delete from text_labels where id in (select id from text_labels order by md5(id::text || 'd' || ${round}) limit 40)`);
  await t.db.execute(sql`insert into text_labels (user_id, message_id, labels, task_id)
    select m.user_id, m.id, '{"pii": 1, "quality": 0.25}'::jsonb, gen_random_uuid() from messages m where m.user_id is not null
    order by md5(m.id::text || 'n' || ${round}) limit 30 on conflict do nothing`);
  await t.db.execute(sql`update tasks set done = false where id in (select id from tasks where done and type::text like 'label_%' order by md5(id::text || ${round}) limit 40)`);
  await t.db.execute(sql`update tasks set payload = jsonb_set(payload, '{mode}', '"simple"') where id in (select id from tasks where payload ->> 'mode' = 'full' order by md5(id::text || ${round}) limit 40)`);
  await t.db.execute(sql`update message_tree_states set state = 'aborted_low_grade' where message_tree_id in (select message_tree_id from message_tree_states where state <> 'aborted_low_grade' order by md5(message_tree_id::text || ${round}) limit 8)`);
  await t.db.execute(sql`delete from message_reactions where task_id in (select task_id from message_reactions order by md5(task_id::text || ${round}) limit 5)`);
  // A ranking after the consensus: the parent's last ranking (the ranked replies' date) moves to now.
  const parents = await t.db.execute<{ message_id: string; payload: unknown; user_id: string }>(sql`
    select message_id, payload, (select id from users order by md5(id::text || message_id::text || ${round}) limit 1) as user_id
    from (select distinct on (message_id) message_id, payload from message_reactions order by message_id) r
    order by md5(message_id::text || ${round}) limit 4`);
  for (const parent of parents) {
    const [task] = await t.db.execute<{ id: string }>(sql`insert into tasks (user_id, type, payload, done, parent_message_id)
      values (${parent.user_id}, 'rank_assistant_replies', '{"type":"rank_assistant_replies"}', true, ${parent.message_id}) returning id`);
    await t.db.execute(sql`insert into message_reactions (task_id, user_id, message_id, created_date, payload)
      values (${task!.id}, ${parent.user_id}, ${parent.message_id}, ${new Date(now.getTime() - MINUTE * (round + 1)).toISOString()}::timestamptz,
        ${JSON.stringify(parent.payload)}::jsonb)`);
  }
  // Contributions either side of the day board's start: in its edge minute (the one bucket that straddles a frame
  // boundary) and a few minutes away.
  const minuteStart = Math.floor(edge.getTime() / MINUTE) * MINUTE;
  const inEdgeMinute = [minuteStart + (edge.getTime() - minuteStart) / 2, edge.getTime() + (minuteStart + MINUTE - edge.getTime()) / 2];
  for (const [index, at] of [...inEdgeMinute, ...[-7, -1, 1, 7].map((offset) => edge.getTime() + offset * MINUTE)].entries()) {
    const date = new Date(Math.round(at)).toISOString();
    await t.db.execute(sql`update messages set created_date = ${date}::timestamptz
      where id in (select id from messages where not deleted order by md5(id::text || 'c' || ${index} || ${round}) limit 3)`);
    await t.db.execute(sql`update tasks set created_date = ${date}::timestamptz
      where id in (select id from tasks where done and type::text like 'label_%' order by md5(id::text || 'c' || ${index} || ${round}) limit 3)`);
  }
}

describe("leaderboard rollup (issue 15 item 5)", () => {
  it("rebuilds every board exactly as the from-source statements do, after edits, deletes and label changes", { timeout: 300_000 }, async () => {
    const now = new Date();
    await generateBenchData(t.db, { users: 300, messages: 240 * 9 });
    // The generator wrote behind the rollup's back: the repair builds it from the contributions.
    const repaired = await repairAllBoards(t.db, now);
    expect(repaired.rollupRows).toBeGreaterThan(300);
    expect(await t.db.select().from(leaderboardDirtyUsers)).toEqual([]);
    const buckets = await t.db.execute<{ kind: string }>(sql`select distinct case when bucket = '-infinity' then 'older' when bucket = 'infinity' then 'end'
      when bucket = date_trunc('minute', bucket, 'UTC') and bucket <> date_trunc('day', bucket, 'UTC') then 'minute' else 'day or minute' end as kind
      from leaderboard_rollup`);
    expect(buckets.map((row) => row.kind).sort()).toEqual(["day or minute", "end", "minute", "older"]);
    const repairedBoards = await boards();
    expect(repairedBoards).toEqual(await fromSource(now));

    for (const round of [1, 2]) {
      await mutate(now, round);
      expect((await t.db.select().from(leaderboardDirtyUsers)).length).toBeGreaterThan(0);
      // Incremental: the marked users' rollup rows and board rows.
      await flushAll(now);
      const flushed = await boards();
      // The full rebuild from the rollup.
      await rebuildAllBoards(t.db, now);
      const rebuilt = await boards();
      const reference = await fromSource(now);
      expect(Object.keys(reference.users).length).toBeGreaterThan(300);
      expect(rebuilt).toEqual(reference);
      expect(flushed).toEqual(await boards());
      // A repair from the contributions gives the same rollup figures.
      const before = await t.db.execute(sql`select user_id, sum(coalesce(lb_n, 0))::int as lb, sum(coalesce(troll_n, 0))::int as troll from leaderboard_rollup group by 1 order by 1`);
      await repairAllBoards(t.db, now);
      expect(await t.db.execute(sql`select user_id, sum(coalesce(lb_n, 0))::int as lb, sum(coalesce(troll_n, 0))::int as troll from leaderboard_rollup group by 1 order by 1`)).toEqual(before);
      expect(await boards()).toEqual(reference);
    }

    // An hour later the day window has moved: the rebuild follows it without any new contribution.
    const later = new Date(now.getTime() + 60 * MINUTE);
    await rebuildAllBoards(t.db, later);
    expect(await boards()).toEqual(await fromSource(later));
  });

  it("marks the authors of ranked replies when a ranking comes after the consensus", async () => {
    await t.db.execute(sql`delete from leaderboard_dirty_users`);
    const [parent] = await t.db.execute<{ parent_id: string; authors: string[] }>(sql`
      select parent_id, array_agg(distinct user_id::text order by user_id::text) as authors from messages
      where rank between 0 and 2 and not deleted and user_id is not null group by parent_id order by parent_id limit 1`);
    const [ranker] = await t.db.execute<{ id: string }>(sql`select id from users order by id limit 1`);
    const [task] = await t.db.execute<{ id: string }>(sql`insert into tasks (user_id, type, payload, done, parent_message_id)
      values (${ranker!.id}, 'rank_assistant_replies', '{"type":"rank_assistant_replies"}', true, ${parent!.parent_id}) returning id`);
    await t.db.execute(sql`insert into message_reactions (task_id, user_id, message_id, payload)
      values (${task!.id}, ${ranker!.id}, ${parent!.parent_id}, '{"type":"message_ranking","rankedMessageIds":[]}')`);
    const marked = new Set((await t.db.select().from(leaderboardDirtyUsers)).map((row) => row.userId));
    for (const author of parent!.authors) expect(marked.has(author)).toBe(true);
    expect(marked.has(ranker!.id)).toBe(true);
  });

  it("keeps a flush's figures when a rebuild runs at the same time", { timeout: 300_000 }, async () => {
    const now = new Date();
    await ensureData();
    await flushAll(now);
    await rebuildAllBoards(t.db, now);
    // Contributions and the reads that fold them in race the full rebuild and a scheduled one-frame rebuild.
    // An advance to five minutes later races them too.
    const later = new Date(now.getTime() + 5 * MINUTE);
    await Promise.all([
      rebuildAllBoards(t.db, now),
      advanceBoards(t.db, TIME_FRAMES, later),
      (async () => {
        for (const round of [3, 4]) {
          await mutate(now, round);
          await flushDirtyUsers(t.db, now);
        }
      })(),
      rebuildBoards(t.db, ["day"], now, { leaderboards: true, trollboards: false }),
      flushDirtyUsers(t.db, now),
    ]);
    // Whatever the interleaving, the next reads' flushes and the next advance leave every user's figures as the
    // contributions say.
    await flushAll(now);
    expect(await t.db.select().from(leaderboardDirtyUsers)).toEqual([]);
    await advanceBoards(t.db, TIME_FRAMES, later);
    const current = await boards();
    expect(current).toEqual(await fromSource(later));
    expect((await t.db.select().from(leaderboardRollup)).length).toBeGreaterThan(0);
  });

  it("makes a rebuild wait for a flush in progress instead of overwriting its figures", { timeout: 120_000 }, async () => {
    const now = new Date();
    await ensureData();
    await flushAll(now);
    const [author] = await t.db.execute<{ user_id: string }>(sql`
      select user_id from messages where not deleted and user_id is not null and parent_id is null order by user_id limit 1`);
    const userId = author!.user_id;
    // The author's rows are off (the rebuild has something to write for them), and they write a new prompt.
    await t.db.execute(sql`update user_stats set prompts = prompts + 100 where user_id = ${userId}`);
    const [root] = await t.db.execute<{ id: string }>(sql`insert into messages (id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, created_date)
      values (gen_random_uuid(), gen_random_uuid(), ${userId}, 'prompter', gen_random_uuid()::text, 'late prompt', 'en', 0, ${now.toISOString()}) returning id`);
    expect(root).toBeDefined();
    let rebuild: Promise<unknown> = Promise.resolve();
    // A read's flush folds the prompt in and has not committed yet when the rebuild starts.
    await t.db.transaction(async (tx) => {
      expect(await flushDirtyUsers(tx, now)).toBeGreaterThan(0);
      rebuild = rebuildAllBoards(t.db, now);
      await new Promise((resolve) => setTimeout(resolve, 1500));
    });
    await rebuild;
    await flushAll(now);
    const current = await boards();
    const reference = await fromSource(now);
    expect(current.users[`${userId}:total`]).toEqual(reference.users[`${userId}:total`]);
    expect(current).toEqual(reference);
  });

  it("moves every window on by recomputing only the users whose contributions left it, equal to a full recomputation", { timeout: 300_000 }, async () => {
    const t0 = new Date();
    await ensureData();
    await repairAllBoards(t.db, t0);
    const midnight = Date.UTC(t0.getUTCFullYear(), t0.getUTCMonth(), t0.getUTCDate());
    // Seconds, minutes across the day board's edge contributions, an hour, past the next UTC midnight (week and month
    // move by a day), then far enough for whole weeks and months of contributions to leave.
    const steps = [
      t0.getTime() + 30_000, t0.getTime() + 3 * MINUTE, t0.getTime() + 9 * MINUTE, t0.getTime() + 60 * MINUTE,
      midnight + 24 * 60 * MINUTE + MINUTE, midnight + 3 * 24 * 60 * MINUTE + 5 * MINUTE, t0.getTime() + 9 * 24 * 60 * MINUTE,
      t0.getTime() + 33 * 24 * 60 * MINUTE,
    ].map((ms) => new Date(ms));
    const dayOf = (date: Date) => date.toISOString().slice(0, 10);
    let previous = t0;
    const runs: { sameDay: boolean; frames: AdvanceResult[] }[] = [];
    for (const [index, at] of steps.entries()) {
      // New contributions (some right at the day board's next edges), folded in by a read at the previous instant.
      await mutate(previous, 10 + index);
      await flushAll(previous);
      const advanced = await advanceBoards(t.db, TIME_FRAMES, at);
      runs.push({ sameDay: dayOf(at) === dayOf(previous), frames: [...advanced.leaderboards!, ...advanced.trollboards!] });
      expect(await boards(), `at step ${index} (${at.toISOString()})`).toEqual(await fromSource(at));
      previous = at;
    }
    // Never a full rebuild; the day board recomputed some users but never all of them, the week and month boards
    // nobody within a UTC day and some users once a midnight passed, the all-time board nobody.
    const [users] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from users`);
    const counts = (frame: string, which: typeof runs) => which.flatMap((run) => run.frames.filter((f) => f.timeFrame === frame).map((f) => f.recomputed));
    for (const frame of TIME_FRAMES) expect(counts(frame, runs)).not.toContain("all");
    expect(counts("day", runs).some((n) => n !== "all" && n > 0)).toBe(true);
    expect(counts("day", runs).every((n) => n !== "all" && n < users!.n)).toBe(true);
    for (const frame of ["week", "month"]) {
      expect(counts(frame, runs.filter((run) => run.sameDay)).every((n) => n === 0)).toBe(true);
      expect(counts(frame, runs.filter((run) => !run.sameDay)).some((n) => n !== "all" && n > 0)).toBe(true);
    }
    expect(counts("total", runs).every((n) => n === 0)).toBe(true);
    // Back to the present for the next tests: rollup rows written for an instant a month ahead bucket today's
    // contributions by day (the rollup holds for instants no earlier than a day before its rows were written).
    await repairAllBoards(t.db, new Date());
  });

  it("rebuilds a frame in full when it has no recorded start or too many users to recompute", async () => {
    const now = new Date();
    await ensureData();
    await t.db.execute(sql`delete from leaderboard_frame_bases where time_frame = 'week'`);
    const first = await advanceBoards(t.db, ["day", "week"], now, { leaderboards: true, trollboards: false });
    expect(first.leaderboards!.map((frame) => [frame.timeFrame, frame.recomputed])).toEqual([["day", expect.any(Number)], ["week", "all"]]);
    expect(first.trollboards).toBeNull();
    // The day's edge moves over a minute with contributions: with no room for a single user, the frame is rebuilt.
    await mutate(now, 40);
    await flushAll(now);
    const later = new Date(now.getTime() + 8 * MINUTE);
    const second = await advanceBoards(t.db, ["day"], later, { leaderboards: true, trollboards: true }, { rebuildFrameAbove: 0 });
    expect(second.leaderboards!.map((frame) => frame.recomputed)).toEqual(["all"]);
    await advanceBoards(t.db, TIME_FRAMES, later);
    expect(await boards()).toEqual(await fromSource(later));
  });

  it("rebuilds every frame some board rebuilds in full in one statement, for each board that rebuilds one", async () => {
    const now = new Date();
    await ensureData();
    await advanceBoards(t.db, TIME_FRAMES, now);
    // The leaderboard's week and the trollboard's day lose their recorded starts; the leaderboard's day and the
    // trollboard's week would only need their moved users recomputed, but share the statement that rebuilds the others.
    await t.db.execute(sql`delete from leaderboard_frame_bases
      where (board = 'leaderboards' and time_frame = 'week') or (board = 'trollboards' and time_frame = 'day')`);
    await mutate(now, 40);
    await flushAll(now);
    const later = new Date(now.getTime() + 8 * MINUTE);
    const advanced = await advanceBoards(t.db, ["day", "week", "month"], later);
    const recomputed = (frames: AdvanceResult[] | null) => Object.fromEntries(frames!.map((frame) => [frame.timeFrame, frame.recomputed]));
    expect(recomputed(advanced.leaderboards)).toEqual({ day: "all", week: "all", month: expect.any(Number) });
    expect(recomputed(advanced.trollboards)).toEqual({ day: "all", week: "all", month: expect.any(Number) });
    expect(await boards()).toEqual(await fromSource(later));
  });

  it("never lets a flush computed for an earlier instant bring back a contribution an advance dropped", async () => {
    await ensureData();
    const now = new Date();
    await rebuildAllBoards(t.db, now);
    // A prompt 24 h − 2 min before now: on the day board now, off it three minutes later.
    const [author] = await t.db.execute<{ id: string }>(sql`select id from users order by id desc limit 1`);
    const userId = author!.id;
    const writtenAt = new Date(now.getTime() - 24 * 60 * MINUTE + 2 * MINUTE);
    await t.db.execute(sql`insert into messages (id, message_tree_id, user_id, role, frontend_message_id, text, lang, depth, created_date)
      values (gen_random_uuid(), gen_random_uuid(), ${userId}, 'prompter', gen_random_uuid()::text, 'edge prompt', 'en', 0, ${writtenAt.toISOString()})`);
    const later = new Date(now.getTime() + 3 * MINUTE);
    await advanceBoards(t.db, TIME_FRAMES, later);
    // A read that took its clock before that advance folds the new prompt in only now.
    await flushAll(now);
    // The next advance moves past nothing of this user's: the flush must already have left the prompt out.
    await advanceBoards(t.db, TIME_FRAMES, new Date(later.getTime() + MINUTE));
    const current = await boards();
    const reference = await fromSource(new Date(later.getTime() + MINUTE));
    expect(current.users[`${userId}:day`]).toEqual(reference.users[`${userId}:day`]);
    expect(current).toEqual(reference);
  });
  it("gives the caller's transaction its own settings back after a rebuild over every user", async () => {
    await ensureData();
    const { before, after } = await t.db.transaction(async (tx) => {
      // A job's transaction (job-lock.ts sets its work memory); the rebuild plans its statement with its own
      // (FULL_REBUILD_SETTINGS: index scans, work memory, JIT) and must put each back.
      await tx.execute(sql`set local work_mem = '64MB'`);
      const read = async () => {
        const [row] = await tx.execute<{ work_mem: string; indexscan: string; jit: string }>(sql`
          select current_setting('work_mem') as work_mem, current_setting('enable_indexscan') as indexscan,
            current_setting('jit') as jit`);
        return row;
      };
      const before = await read();
      await refreshBoardsFromRollup(tx, TIME_FRAMES, new Date(), null);
      return { before, after: await read() };
    });
    expect(before).toMatchObject({ work_mem: "64MB", indexscan: "on" });
    expect(after).toEqual(before);
  });

  it("repairs every board row, the day rows of users with contributions in the day board's edge minute included", { timeout: 120_000 }, async () => {
    await ensureData();
    const now = new Date();
    await mutate(now, 5);
    await flushAll(now);
    const reference = await fromSource(now);
    // The full rebuild writes the day rows of the edge minute's users in a statement of their own: there must be some.
    expect((await readEdge(t.db, TIME_FRAMES, now)).length).toBeGreaterThan(0);
    // Every row off, some missing, one that should not be there.
    await t.db.execute(sql`update user_stats set prompts = prompts + 1, leader_score = leader_score + 1`);
    await t.db.execute(sql`update troll_stats set upvotes = upvotes + 1, troll_score = troll_score - 1`);
    await t.db.execute(sql`delete from user_stats where user_id in (select user_id from user_stats where time_frame = 'day' order by user_id limit 20)`);
    await t.db.execute(sql`delete from troll_stats where time_frame = 'day' and user_id in (select user_id from troll_stats order by md5(user_id::text) limit 20)`);
    await t.db.execute(sql`insert into user_stats (user_id, time_frame, base_date, modified_date, leader_score, prompts)
      select id, 'day', now(), now(), 5, 5 from users where id not in (select user_id from user_stats where time_frame = 'day') limit 1`);
    const rebuilt = await rebuildAllBoards(t.db, now);
    expect(await boards()).toEqual(reference);
    // The rows it reports per frame are the frames' rows.
    const counted = await t.db.execute<{ time_frame: string; rows: number }>(sql`select time_frame, count(*)::int as rows from user_stats group by 1`);
    for (const frame of rebuilt.leaderboards!) expect(frame.rows).toBe(counted.find((row) => row.time_frame === frame.timeFrame)?.rows ?? 0);
    expect(rebuilt.trollboards!.reduce((sum, frame) => sum + frame.rows, 0)).toBe(Object.keys(reference.trolls).length);
  });

  it("converts rollup rows of one bucket each into rows from their bucket on (migration leaderboard_rollup_suffix_sums)", { timeout: 120_000 }, async () => {
    await ensureData();
    await t.db.transaction(async (tx) => {
      await lockRollup(tx);
      await refreshRollup(tx, null, new Date());
    });
    const figures = sql.raw(`${ROLLUP_COLUMNS.map((name) => (name.endsWith("_sum") ? `round(${name}::numeric, 9) as ${name}` : name)).join(", ")}`);
    const written = await t.db.execute(sql`select user_id, bucket, older_bucket, ${figures} from leaderboard_rollup order by 1, 2`);
    expect(written.length).toBeGreaterThan(300);
    // The rows as the previous version wrote them: each bucket's own figures (a row less the user's next newer one),
    // zeros as nulls, no older bucket.
    const own = (name: string) =>
      name.endsWith("_sum")
        ? `${name} - coalesce(lead(${name}) over later, 0)`
        : `nullif(coalesce(${name}, 0) - coalesce(lead(${name}) over later, 0), 0)`;
    await t.db.execute(sql.raw(`update leaderboard_rollup r set older_bucket = null, ${ROLLUP_COLUMNS.map((name) => `${name} = o.${name}`).join(", ")}
      from (select user_id, bucket, ${ROLLUP_COLUMNS.map((name) => `${own(name)} as ${name}`).join(", ")}
        from leaderboard_rollup window later as (partition by user_id order by bucket)) o
      where r.user_id = o.user_id and r.bucket = o.bucket`));
    expect(await t.db.execute(sql`select user_id, bucket, older_bucket, ${figures} from leaderboard_rollup order by 1, 2`)).not.toEqual(written);
    // The migration's conversion statement, as the migration file has it.
    const migration = readFileSync(path.join(process.cwd(), "drizzle/0027_leaderboard_rollup_suffix_sums.sql"), "utf8");
    const [, conversion] = migration.split("--> statement-breakpoint");
    await t.db.execute(sql.raw(conversion!));
    expect(await t.db.execute(sql`select user_id, bucket, older_bucket, ${figures} from leaderboard_rollup order by 1, 2`)).toEqual(written);
  });
});
