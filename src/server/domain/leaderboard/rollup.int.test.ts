import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { leaderboardDirtyUsers, leaderboardRollup, trollStats, userStats } from "@/server/db/schema";
import { generateBenchData } from "../../../../bench/leaderboard-refresh-data";
import { setupTestDatabase } from "@/test/database";
import { flushDirtyUsers } from "./flush-dirty-users";
import { rebuildAllBoards, rebuildBoards, repairAllBoards } from "./rebuild-boards";
import { refreshTrollStatsFrames } from "./refresh-troll-stats";
import { refreshUserStatsFrames } from "./refresh-user-stats";
import { TIME_FRAMES } from "./time-frames";

const t = setupTestDatabase();

type Row = { userId: string; timeFrame: string; rank: number | null; modifiedDate: Date; baseDate: Date | null };

/** Rows keyed by user and frame, without the write time and frame start (and without the rank unless asked). */
function snapshot<T extends Row>(rows: T[], withRank: boolean) {
  return Object.fromEntries(
    rows.map(({ modifiedDate: _modified, baseDate: _base, rank, ...rest }) => [`${rest.userId}:${rest.timeFrame}`, withRank ? { ...rest, rank } : rest]),
  );
}

const boards = async (withRank: boolean) => ({
  users: snapshot(await t.db.select().from(userStats), withRank),
  trolls: snapshot(await t.db.select().from(trollStats), withRank),
});

/** The reference: both boards recomputed from the contributions by the from-source statements, at `now`. */
async function fromSource(now: Date, withRank: boolean) {
  await t.db.execute(sql`delete from user_stats`);
  await t.db.execute(sql`delete from troll_stats`);
  await refreshUserStatsFrames(t.db, TIME_FRAMES, now);
  await refreshTrollStatsFrames(t.db, TIME_FRAMES, now);
  return boards(withRank);
}

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
    const buckets = await t.db.execute<{ kind: string }>(sql`select distinct case when bucket = '-infinity' then 'older'
      when bucket = date_trunc('minute', bucket, 'UTC') and bucket <> date_trunc('day', bucket, 'UTC') then 'minute' else 'day or minute' end as kind
      from leaderboard_rollup`);
    expect(buckets.map((row) => row.kind).sort()).toEqual(["day or minute", "minute", "older"]);
    const repairedBoards = await boards(true);
    expect(repairedBoards).toEqual(await fromSource(now, true));

    for (const round of [1, 2]) {
      await mutate(now, round);
      expect((await t.db.select().from(leaderboardDirtyUsers)).length).toBeGreaterThan(0);
      // Incremental: the marked users' rollup rows and board rows (no ranks: those are counted when read).
      await flushAll(now);
      const flushed = await boards(false);
      // The full rebuild from the rollup, ranks included.
      await rebuildAllBoards(t.db, now);
      const rebuilt = await boards(true);
      const reference = await fromSource(now, true);
      expect(Object.keys(reference.users).length).toBeGreaterThan(300);
      expect(rebuilt).toEqual(reference);
      expect(flushed).toEqual(await boards(false));
      // A repair from the contributions gives the same rollup figures.
      const before = await t.db.execute(sql`select user_id, sum(coalesce(lb_n, 0))::int as lb, sum(coalesce(troll_n, 0))::int as troll from leaderboard_rollup group by 1 order by 1`);
      await repairAllBoards(t.db, now);
      expect(await t.db.execute(sql`select user_id, sum(coalesce(lb_n, 0))::int as lb, sum(coalesce(troll_n, 0))::int as troll from leaderboard_rollup group by 1 order by 1`)).toEqual(before);
      expect(await boards(true)).toEqual(reference);
    }

    // An hour later the day window has moved: the rebuild follows it without any new contribution.
    const later = new Date(now.getTime() + 60 * MINUTE);
    await rebuildAllBoards(t.db, later);
    expect(await boards(true)).toEqual(await fromSource(later, true));
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
    await Promise.all([
      rebuildAllBoards(t.db, now),
      (async () => {
        for (const round of [3, 4]) {
          await mutate(now, round);
          await flushDirtyUsers(t.db, now);
        }
      })(),
      rebuildBoards(t.db, ["day"], now, { leaderboards: true, trollboards: false }),
      flushDirtyUsers(t.db, now),
    ]);
    // Whatever the interleaving, the next reads' flushes leave every user's figures as the contributions say.
    await flushAll(now);
    expect(await t.db.select().from(leaderboardDirtyUsers)).toEqual([]);
    const current = await boards(false);
    expect(current).toEqual(await fromSource(now, false));
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
    const current = await boards(false);
    const reference = await fromSource(now, false);
    expect(current.users[`${userId}:total`]).toEqual(reference.users[`${userId}:total`]);
    expect(current).toEqual(reference);
  });
});
