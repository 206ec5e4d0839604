import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { uuidArray } from "@/server/domain/messages/queries";
import { FLAG_LABELS, LABEL_RECORD, SCALE_LABELS } from "./refresh-troll-stats";
import { COUNTERS, MESSAGE_COUNTERS, LABEL_TYPES, userFilter } from "./refresh-user-stats";

/**
 * The leaderboard rollup (table `leaderboard_rollup`, issue 15 item 5): every figure of both boards per user and time
 * bucket, so a full rebuild of every board reads rollup rows instead of re-aggregating the contributions (3M rows at
 * 1M messages, joined and parsed).
 *
 * Rows hold suffix sums: a row's figures are its user's figures of its bucket and every later one, and
 * `older_bucket` is the bucket of the user's next older row. A user's figures in a frame starting at `s` are then
 * those of one row, the oldest at or after `s` (`bucket >= s > older_bucket`), so a rebuild of every board picks one
 * row per user and frame during one scan, without sorting or grouping the rollup (boards-from-rollup.ts; 5.1 s → 2.4 s
 * for both boards at 100k users, bench/leaderboard-refresh.results.md, 1 December). Every user's newest row is an end
 * row (`END_BUCKET`, no figures), so a frame that starts after their last contribution is held too, with zero figures.
 * Every write of a user's rows rewrites all of them (`refreshRollup`), so the sums never go stale.
 *
 * Buckets. A row's bucket is the UTC minute of its contributions when they are less than two UTC days old at the
 * time the row is written, their UTC day when less than 32 days old, and `-infinity` (one row per user) before that.
 * The week and month frames start at a UTC midnight, so minutes and days are wholly inside or outside them;
 * `-infinity` rows are older than any month start to come; the day frame (the last 24 hours, `timeFrameStart`)
 * starts within the minute buckets of the last two days, and only its edge minute straddles it: that minute's rollup
 * rows count outside the day frame and its contributions after the start are read from the source tables by date
 * (under a minute of contributions, indexed). This holds for any `now` no earlier than a day before the row was
 * written (the rebuilds and flushes run at the current time). Minutes rather than hours: a user's contributions of
 * the last two days rarely share an hour either, and the edge read stays tiny.
 *
 * Dating follows the from-source statements (`refreshUserStatsFrames`, `refreshTrollStatsFrames`) exactly: messages,
 * review tasks and rankings by their creation, a reply's consensus rank by its parent's last ranking, and the troll
 * figures (votes, spam prompts, labels received) by the creation of the message they are about.
 *
 * Maintenance. The triggers mark users in `leaderboard_dirty_users`; `flushDirtyUsers` rewrites the marked users'
 * rollup rows from the sources and then their board rows from the rollup (`refreshBoardsFromRollup`,
 * boards-from-rollup.ts); `advanceBoards` (rebuild-boards.ts) moves
 * the windows on, finding the users whose contributions left one through the rollup's bucket index. `repairRollup`
 * rebuilds the whole rollup from the sources (slow: the seed, the benchmark, or on demand).
 *
 * Locks (README "Locking"): a flush first try-locks `READ_FLUSH_LOCK`, so one read flushes at a time and the others
 * answer at once. A rebuild from the rollup, an advance of the windows (rebuild-boards.ts) or a repair holds
 * `ROLLUP_LOCK` exclusively; a flush tries it shared and, when one of those holds it, leaves its marks for the next
 * read — so a rebuild never writes figures older than a flush's. Inside a flush, the users' rollup rows are rewritten
 * under per-user advisory locks taken in key order (`lockUsers`), so two flushes that claimed marks of the same user
 * rewrite it one after the other.
 */

/** Advisory lock class of the rollup (the two-key form, apart from the jobs' `hashtext` keys). */
const LOCK_CLASS = 727_002;
/** `(LOCK_CLASS, ROLLUP_LOCK)`: rebuilds exclusive, flushes shared. */
const ROLLUP_LOCK = -1;
/** `(LOCK_CLASS, READ_FLUSH_LOCK)`: held by the one read that is flushing marks right now (try-lock, never waited on). */
const READ_FLUSH_LOCK = -2;
/** Per-user locks use `(LOCK_CLASS, hashtext(id) & USER_LOCK_MASK)`: at most 256 locks per flush. */
const USER_LOCK_MASK = 255;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Contributions younger than this many UTC days (from the writer's midnight) get minute buckets. */
const MINUTE_BUCKET_DAYS = 2;
/** …younger than this many get day buckets; older ones share one `-infinity` bucket per user. */
const DAY_BUCKET_DAYS = 32;

const TROLL_COUNTS = ["upvotes", "downvotes", "red_flags", "spam_prompts", ...FLAG_LABELS] as const;
const FLOAT_COLUMNS = SCALE_LABELS.map((name) => `${name}_sum`);
/** Every figure column of `leaderboard_rollup`, in table order. */
export const ROLLUP_COLUMNS = ["lb_n", ...COUNTERS, "troll_n", ...TROLL_COUNTS, ...SCALE_LABELS.flatMap((name) => [`${name}_sum`, `${name}_n`])];
type RollupColumn = (typeof ROLLUP_COLUMNS)[number];
export const isFloat = (column: string) => FLOAT_COLUMNS.includes(column);
const COLUMN_LIST = sql.raw(ROLLUP_COLUMNS.join(", "));

/** One `select` list of the union below: the given figures, null (zero) for the rest. */
const figures = (values: Partial<Record<RollupColumn, string>>) =>
  sql.raw(ROLLUP_COLUMNS.map((name) => `(${values[name] ?? "null"})::${isFloat(name) ? "float8" : "int"} as ${name}`).join(", "));

/** A time window on one date column: `[from, to)`; null = no window. */
export type Window = { from: Date; to: Date } | null;
const inWindow = (column: string, window: Window) =>
  window === null ? sql`` : sql`and ${sql.raw(column)} >= ${window.from.toISOString()}::timestamptz and ${sql.raw(column)} < ${window.to.toISOString()}::timestamptz`;

/**
 * Every contribution's figures grouped per user and `key(date)`, as `user_id, bucket, <ROLLUP_COLUMNS>` rows (several
 * per user and bucket: one per source), optionally restricted to a time window of each row's date and to some users.
 */
export function sourceParts(key: (dateColumn: string) => SQL, window: Window, userIds: readonly string[] | null): SQL {
  const full = userIds === null;
  const ranked = full
    ? window === null
      ? sql`join (select message_id, max(created_date) as ranked_at from message_reactions group by message_id) ranked on ranked.message_id = m.parent_id`
      // The edge minute of the whole board: only parents ranked in it (rankings by date, indexed).
      : sql`join (select message_id, max(created_date) as ranked_at from message_reactions
            where message_id in (select message_id from message_reactions where created_date >= ${window.from.toISOString()}::timestamptz
              and created_date < ${window.to.toISOString()}::timestamptz)
            group by message_id) ranked on ranked.message_id = m.parent_id`
    // A few users: look up their ranked replies' parents instead of aggregating every ranking.
    : sql`join lateral (select max(r.created_date) as ranked_at from message_reactions r where r.message_id = m.parent_id) ranked on true`;
  // A prompt's tree state (spam prompts): every tree's at once for everyone; by key for a few users (a hash join
  // read all 111k tree states for a flush of 100 users, 12 of its 46 ms).
  const treeState = full
    ? sql`left join message_tree_states s on m.parent_id is null and s.message_tree_id = m.id`
    // `offset 0` keeps the planner from pulling the subquery up into that same hash join.
    : sql`left join lateral (select ts.state from message_tree_states ts where m.parent_id is null and ts.message_tree_id = m.id offset 0) s on true`;
  return sql`
      select m.user_id, ${key("m.created_date")} as bucket, ${figures({
        lb_n: "count(*)",
        ...MESSAGE_COUNTERS,
        troll_n: "count(*)",
        upvotes: "coalesce(sum((m.emojis ->> '+1')::int), 0)",
        downvotes: "coalesce(sum((m.emojis ->> '-1')::int), 0)",
        red_flags: "coalesce(sum((m.emojis ->> 'red_flag')::int), 0)",
        spam_prompts: "count(*) filter (where s.state = 'aborted_low_grade')",
      })}
      from messages m ${treeState}
      where not m.deleted and m.user_id is not null ${inWindow("m.created_date", window)} ${userFilter("m.user_id", userIds)}
      group by 1, 2
      union all
      select m.user_id, ${key("m.created_date")}, ${figures(Object.fromEntries([
        ...FLAG_LABELS.map((name) => [name, `count(*) filter (where x.${name} >= 0.5)`]),
        ...SCALE_LABELS.flatMap((name) => [[`${name}_sum`, `sum(x.${name})`], [`${name}_n`, `count(x.${name})`]]),
      ]))}
      from messages m join text_labels l on l.message_id = m.id cross join lateral ${LABEL_RECORD}
      where not m.deleted and m.user_id is not null ${inWindow("m.created_date", window)} ${userFilter("m.user_id", userIds)}
      group by 1, 2
      union all
      select t.user_id, ${key("t.created_date")}, ${figures({
        lb_n: "count(*)",
        labels_simple: "count(*) filter (where t.payload ->> 'mode' = 'simple')",
        labels_full: "count(*) filter (where t.payload ->> 'mode' = 'full')",
      })}
      from tasks t where t.done and t.type in (${LABEL_TYPES}) and t.user_id is not null ${inWindow("t.created_date", window)}
        ${userFilter("t.user_id", userIds)}
      group by 1, 2
      union all
      select r.user_id, ${key("r.created_date")}, ${figures({
        lb_n: "count(*)",
        rankings_total: "count(*)",
        rankings_good: "count(*) filter (where best.rank = 0 and not coalesce((r.payload ->> 'notRankable')::boolean, false))",
      })}
      from message_reactions r
      left join messages best on best.id = (r.payload -> 'rankedMessageIds' ->> 0)::uuid and not best.deleted
      where r.user_id is not null ${inWindow("r.created_date", window)} ${userFilter("r.user_id", userIds)}
      group by 1, 2
      union all
      select m.user_id, ${key("ranked.ranked_at")}, ${figures({
        lb_n: "count(*)",
        reply_ranked_1: "count(*) filter (where m.rank = 0)",
        reply_ranked_2: "count(*) filter (where m.rank = 1)",
        reply_ranked_3: "count(*) filter (where m.rank = 2)",
      })}
      from messages m ${ranked}
      where not m.deleted and m.user_id is not null and m.rank between 0 and 2 and ranked.ranked_at is not null
        ${inWindow("ranked.ranked_at", window)} ${userFilter("m.user_id", userIds)}
      group by 1, 2`;
}

/** UTC midnight of `now`'s day. */
const midnight = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

/** The bucket of a contribution dated `column`, for rows written at `now` (see the module comment). */
function bucketOf(now: Date) {
  const minutes = new Date(midnight(now) - MINUTE_BUCKET_DAYS * DAY_MS).toISOString();
  const days = new Date(midnight(now) - DAY_BUCKET_DAYS * DAY_MS).toISOString();
  return (column: string) => {
    const c = sql.raw(column);
    return sql`(case when ${c} >= ${minutes}::timestamptz then date_trunc('minute', ${c}, 'UTC')
      when ${c} >= ${days}::timestamptz then date_trunc('day', ${c}, 'UTC') else '-infinity'::timestamptz end)`;
  };
}

/**
 * The bucket of every user's end row: newer than any contribution, no figures of its own, the user's newest bucket as
 * its older one. It holds every frame that starts after the user's newest contribution (zero figures there), so
 * every (user, frame) pair that can have a board row is held by exactly one rollup row of that user, and the full
 * rebuild finds every board row it must compare by looking up the rows it picks (`changesStatement`,
 * boards-from-rollup.ts).
 */
const END_BUCKET = "infinity";

/**
 * Rewrites the rollup rows of the given users (all users with `null`: the repair, which empties the table first)
 * from the contributions: each user's figures per bucket, then summed from each bucket on (a row holds its bucket's
 * figures and every later bucket's) with the bucket of the user's next older row, and an end row (`END_BUCKET`) for
 * each given user — for everyone with contributions or board rows in the repair — even one with no contributions
 * left. The caller holds the locks (`lockUsers` or the exclusive rollup lock).
 */
export async function refreshRollup(db: DbOrTx, userIds: readonly string[] | null, now: Date = new Date()): Promise<number> {
  if (userIds !== null && userIds.length === 0) return 0;
  if (userIds === null) await db.execute(sql`truncate leaderboard_rollup`);
  else await db.execute(sql`delete from leaderboard_rollup where true ${userFilter("user_id", userIds)}`);
  // Int sums cast back to int: the window sums over bigints would accumulate numerics (slow).
  const perBucket = sql.raw(ROLLUP_COLUMNS.map((name) => (isFloat(name) ? `sum(${name}) as ${name}` : `sum(${name})::int as ${name}`)).join(", "));
  // Zero counts are stored as null (no space); a sum of scale labels stays as it is (0.0 is an average of zeros).
  const fromBucketOn = sql.raw(ROLLUP_COLUMNS.map((name) => (isFloat(name) ? `sum(${name}) over later` : `nullif(sum(${name}) over later, 0)::int`)).join(", "));
  // The users who get an end row: the given ones, or (all users) everyone with contributions or board rows.
  const endUsers = userIds === null
    ? sql`select user_id from own union select user_id from user_stats union select user_id from troll_stats`
    : sql`select distinct unnest(${uuidArray(userIds)}) as user_id`;
  const [inserted] = await db.execute<{ rows: number }>(sql`
    with parts as (${sourceParts(bucketOf(now), null, userIds)}),
    own as (select user_id, bucket, ${perBucket} from parts group by user_id, bucket),
    buckets as (select * from own union all select user_id, ${END_BUCKET}::timestamptz, ${figures({})} from (${endUsers}) e),
    written as (
      insert into leaderboard_rollup (user_id, bucket, older_bucket, ${COLUMN_LIST})
      select user_id, bucket, lag(bucket) over (partition by user_id order by bucket), ${fromBucketOn}
      from buckets window later as (partition by user_id order by bucket desc rows between unbounded preceding and current row)
      order by user_id, bucket
      returning 1)
    select count(*)::int as rows from written`);
  return inserted?.rows ?? 0;
}

/** Takes the rollup lock exclusively (a rebuild or repair), waiting for running flushes. */
export async function lockRollup(db: DbOrTx): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${LOCK_CLASS}, ${ROLLUP_LOCK})`);
}

/** Takes the rollup lock shared (a flush) if no rebuild holds or awaits it; false = leave the marks for later. */
export async function tryRollupShared(db: DbOrTx): Promise<boolean> {
  const [row] = await db.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock_shared(${LOCK_CLASS}, ${ROLLUP_LOCK}) as locked`);
  return row?.locked === true;
}

/**
 * Claims the flushing for the rest of the caller's transaction, if no other read (in any process) is flushing now;
 * false = that read is folding the marks in, answer from the rows as they are.
 */
export async function tryReadFlush(db: DbOrTx): Promise<boolean> {
  const [row] = await db.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(${LOCK_CLASS}, ${READ_FLUSH_LOCK}) as locked`);
  return row?.locked === true;
}

/** Per-user locks for rewriting some users' rollup rows, in key order (so two flushes never deadlock). */
export async function lockUsers(db: DbOrTx, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.execute(sql`
    select count(pg_advisory_xact_lock(${LOCK_CLASS}, k)) from (
      select distinct hashtext(id::text) & ${USER_LOCK_MASK} as k from unnest(${uuidArray(userIds)}) id order by 1) keys`);
}

/** Above this many marked users, a rebuild rewrites the whole rollup (one pass) rather than user by user. */
const REWRITE_ALL_ABOVE = 20_000;

/**
 * Rewrites the rollup rows of every user with a pending mark, so a rebuild that follows reads a current rollup. The
 * marks stay: the next flush still brings those users' other frames and boards up to date. The caller holds the
 * exclusive rollup lock (no flush runs meanwhile). Returns the number of users rewritten.
 */
export async function refreshMarkedRollup(db: DbOrTx, now: Date = new Date()): Promise<number> {
  const marked = await db.execute<{ user_id: string }>(sql`select distinct user_id from leaderboard_dirty_users`);
  const ids = marked.map((row) => row.user_id).sort();
  if (ids.length === 0) return 0;
  await refreshRollup(db, ids.length > REWRITE_ALL_ABOVE ? null : ids, now);
  return ids.length;
}

/**
 * The rollup's repair: every row rewritten from the contributions, in the caller's transaction, holding the rollup lock
 * (flushes leave their marks meanwhile). Pending marks are consumed first: the rewrite reads the sources after them.
 * Slow (every contribution is read); `repairAllBoards` (rebuild-boards.ts) follows it with every board.
 */
export async function repairRollup(db: DbOrTx, now: Date = new Date()): Promise<number> {
  await lockRollup(db);
  await db.execute(sql`set local jit = off`);
  await db.execute(sql`delete from leaderboard_dirty_users`);
  const rollupRows = await refreshRollup(db, null, now);
  await db.execute(sql`analyze leaderboard_rollup`);
  return rollupRows;
}
