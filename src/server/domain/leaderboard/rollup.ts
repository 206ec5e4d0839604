import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { uuidArray } from "@/server/domain/messages/queries";
import { FLAG_LABELS, LABEL_RECORD, SCALE_LABELS, trollStatsWrites } from "./refresh-troll-stats";
import { COUNTERS, type FrameSet, MESSAGE_COUNTERS, exceptDayRows, framesTable, frameSet, LABEL_TYPES, type RefreshResult, userFilter, userStatsWrites } from "./refresh-user-stats";
import type { TimeFrame } from "./time-frames";

/**
 * The leaderboard rollup (table `leaderboard_rollup`, issue 15 item 5): every figure of both boards per user and time
 * bucket, so a full rebuild of every board reads rollup rows instead of re-aggregating the contributions (3M rows at
 * 1M messages, joined and parsed).
 *
 * Rows hold suffix sums: a row's figures are its user's figures of its bucket and every later one, and
 * `older_bucket` is the bucket of the user's next older row. A user's figures in a frame starting at `s` are then
 * those of one row, the oldest at or after `s` (`bucket >= s > older_bucket`), so a rebuild of every board picks one
 * row per user and frame with a filter during one scan, without sorting or grouping the rollup (5.1 s → 2.4 s
 * for both boards at 100k users, bench/leaderboard-refresh.results.md, 1 December). Every write of a user's rows
 * rewrites all of them (`refreshRollup`), so the sums never go stale.
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
 * rollup rows from the sources and then their board rows from the rollup; `advanceBoards` (rebuild-boards.ts) moves
 * the windows on, finding the users whose contributions left one through the rollup's bucket index. `repairRollup`
 * rebuilds the whole rollup from the sources (slow: the seed, the benchmark, or on demand).
 *
 * Locks (README "Locking"): a flush first try-locks `READ_FLUSH_LOCK`, so one read flushes at a time and the others
 * answer at once. A rebuild from the rollup, an advance of the windows (rebuild-boards.ts) or a repair holds
 * `ROLLUP_LOCK` exclusively; a flush tries it shared and, when one of those holds it, leaves its marks for the next
 * read — so a rebuild never writes figures older than a flush's. Inside a flush, the users' rollup rows are rewritten under per-user advisory locks taken in key
 * order (`lockUsers`), so two flushes that claimed marks of the same user rewrite it one after the other.
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
const isFloat = (column: string) => FLOAT_COLUMNS.includes(column);
const COLUMN_LIST = sql.raw(ROLLUP_COLUMNS.join(", "));

/** One `select` list of the union below: the given figures, null (zero) for the rest. */
const figures = (values: Partial<Record<RollupColumn, string>>) =>
  sql.raw(ROLLUP_COLUMNS.map((name) => `(${values[name] ?? "null"})::${isFloat(name) ? "float8" : "int"} as ${name}`).join(", "));

/** A time window on one date column: `[from, to)`; null = no window. */
type Window = { from: Date; to: Date } | null;
const inWindow = (column: string, window: Window) =>
  window === null ? sql`` : sql`and ${sql.raw(column)} >= ${window.from.toISOString()}::timestamptz and ${sql.raw(column)} < ${window.to.toISOString()}::timestamptz`;

/**
 * Every contribution's figures grouped per user and `key(date)`, as `user_id, bucket, <ROLLUP_COLUMNS>` rows (several
 * per user and bucket: one per source), optionally restricted to a time window of each row's date and to some users.
 */
function sourceParts(key: (dateColumn: string) => SQL, window: Window, userIds: readonly string[] | null): SQL {
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
 * Rewrites the rollup rows of the given users (all users with `null`: the repair, which empties the table first)
 * from the contributions: each user's figures per bucket, then summed from each bucket on (a row holds its bucket's
 * figures and every later bucket's) with the bucket of the user's next older row. The caller holds the locks
 * (`lockUsers` or the exclusive rollup lock).
 */
export async function refreshRollup(db: DbOrTx, userIds: readonly string[] | null, now: Date = new Date()): Promise<number> {
  if (userIds !== null && userIds.length === 0) return 0;
  if (userIds === null) await db.execute(sql`truncate leaderboard_rollup`);
  else await db.execute(sql`delete from leaderboard_rollup where true ${userFilter("user_id", userIds)}`);
  // Int sums cast back to int: the window sums over bigints would accumulate numerics (slow).
  const perBucket = sql.raw(ROLLUP_COLUMNS.map((name) => (isFloat(name) ? `sum(${name}) as ${name}` : `sum(${name})::int as ${name}`)).join(", "));
  // Zero counts are stored as null (no space); a sum of scale labels stays as it is (0.0 is an average of zeros).
  const fromBucketOn = sql.raw(ROLLUP_COLUMNS.map((name) => (isFloat(name) ? `sum(${name}) over later` : `nullif(sum(${name}) over later, 0)::int`)).join(", "));
  const [inserted] = await db.execute<{ rows: number }>(sql`
    with parts as (${sourceParts(bucketOf(now), null, userIds)}),
    buckets as (select user_id, bucket, ${perBucket} from parts group by user_id, bucket),
    written as (
      insert into leaderboard_rollup (user_id, bucket, older_bucket, ${COLUMN_LIST})
      select user_id, bucket, lag(bucket) over (partition by user_id order by bucket), ${fromBucketOn}
      from buckets window later as (partition by user_id order by bucket desc rows between unbounded preceding and current row)
      order by user_id, bucket
      returning 1)
    select count(*)::int as rows from written`);
  return inserted?.rows ?? 0;
}

export type BoardChoice = { leaderboards: boolean; trollboards: boolean };
export type BoardsResult = { leaderboards: RefreshResult[] | null; trollboards: RefreshResult[] | null };

/** The end of the day board's edge minute: `start` rounded up to the minute (equal to it when on the minute). */
const edgeEnd = (start: Date) => new Date(Math.ceil(start.getTime() / MINUTE_MS) * MINUTE_MS);

/**
 * Recomputes the given frames of the chosen boards from the rollup (plus the day frame's edge minute from the
 * sources), for every user (`null`) or the given ones: a user's figures in a frame are those of their one rollup row
 * that is the oldest at or after the frame's start (rows hold suffix sums, `refreshRollup`), and rows are written
 * where changed with the same writes as the from-source statements (`userStatsWrites`, `trollStatsWrites`). The
 * rollup must be current for those users (no pending marks, or the marks are folded in by the next flush).
 *
 * Given users: one statement, which reads their edge minute from the sources and counts their rows. Every user: the
 * edge minute is read first (a few users' contributions, indexed by date); one statement writes every row but those
 * users' day rows, a second one writes those with the edge added, and the frames' rows are counted after. Adding the
 * edge in the statement over every user cost a tenth of it (38 sums on each of 400k rows), counting in it another
 * (its fresh rows kept to be read twice).
 */
export async function refreshBoardsFromRollup(
  db: DbOrTx,
  timeFrames: readonly TimeFrame[],
  now: Date = new Date(),
  userIds: readonly string[] | null = null,
  boards: BoardChoice = { leaderboards: true, trollboards: true },
): Promise<BoardsResult> {
  const set = frameSet(timeFrames, now);
  if (!boards.leaderboards && !boards.trollboards) return { leaderboards: null, trollboards: null };
  let counts: FrameRows[];
  if (userIds !== null) {
    counts = await db.execute<FrameRows>(boardsStatement(set, now, { users: userIds }, boards, { edge: "sources", count: true }));
  } else {
    const edgeRows = await readEdge(db, timeFrames, now);
    const edgeUsers = edgeRows.map((row) => row.user_id).sort();
    await withPlannerSettings(db, FULL_REBUILD_SETTINGS, () =>
      db.execute(boardsStatement(set, now, { exceptDayOf: edgeUsers }, boards, { edge: null, count: false })));
    if (edgeUsers.length > 0) {
      await db.execute(boardsStatement(frameSet(["day"], now), now, { users: edgeUsers }, boards, { edge: edgeRows, count: false }));
    }
    counts = await countFrameRows(db, set, boards);
  }
  const frames = (board: keyof BoardsResult) => {
    const byFrame = new Map(counts.filter((row) => row.board === board).map((row) => [row.time_frame, Number(row.rows)]));
    return set.frames.map(({ timeFrame, baseDate }) => ({ timeFrame, rows: byFrame.get(timeFrame) ?? 0, baseDate }));
  };
  return { leaderboards: boards.leaderboards ? frames("leaderboards") : null, trollboards: boards.trollboards ? frames("trollboards") : null };
}

type FrameRows = { board: keyof BoardsResult; time_frame: TimeFrame; rows: number };

/** Every row of the chosen boards' frames: the leaderboard's as its count triggers keep them, the trollboard's counted. */
async function countFrameRows(db: DbOrTx, set: FrameSet, boards: BoardChoice): Promise<FrameRows[]> {
  const frames = sql`(select time_frame from ${framesTable(set)})`;
  const parts: SQL[] = [];
  if (boards.leaderboards) parts.push(sql`select 'leaderboards' as board, time_frame, rows from leaderboard_frame_counts where time_frame in ${frames}`);
  if (boards.trollboards) parts.push(sql`select 'trollboards' as board, time_frame, count(*)::int as rows from troll_stats where time_frame in ${frames} group by time_frame`);
  return db.execute<FrameRows>(sql.join(parts, sql` union all `));
}

/**
 * Planner settings for the statement over every user (1.6M rollup rows at 1M messages; bench/leaderboard-refresh.ts):
 * - a seq scan of the rollup rather than its primary key (an index scan of 1.6M rows cost 5 s of a 42 s EXPLAIN);
 * - 4 MB of work memory, not the jobs' 64 MB: the hash joins against the current board rows (400k a board) ran
 *   slower in one large batch than in several small ones (the statement 3.4–3.9 s at 16–256 MB, 3.0–3.1 s at 1–4 MB,
 *   runs on the same data, 1 December);
 * - JIT off: compiling the statement's ~150 expressions took 9 s of a 61 s run, for a statement that runs once.
 */
const FULL_REBUILD_SETTINGS = { enable_indexscan: "off", work_mem: "4MB", jit: "off" };

/** Runs `work` with the given settings for the transaction, then puts back the values they had before. */
async function withPlannerSettings<T>(db: DbOrTx, settings: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const names = Object.keys(settings);
  if (names.length === 0) return work();
  const [before] = await db.execute<{ values: string[] }>(sql`select array[${sql.join(names.map((name) => sql`current_setting(${name})`), sql`, `)}] as values`);
  const apply = (values: readonly string[]) =>
    db.execute(sql`select ${sql.join(names.map((name, i) => sql`set_config(${name}, ${values[i]!}, true)`), sql`, `)}`);
  await apply(names.map((name) => settings[name]!));
  const result = await work();
  await apply(before!.values);
  return result;
}

/** The day frame's edge: from its start to the end of that minute (null without a day frame or on the minute). */
function edgeOf(set: FrameSet): Window {
  const start = set.frames.find((frame) => frame.timeFrame === "day")?.baseDate;
  if (!start) return null;
  const end = edgeEnd(start);
  return end > start ? { from: start, to: end } : null;
}

const constantKey = () => sql`null::timestamptz`;
/** Per user, the figures of the edge window (every column summed). */
const edgeSums = sql.raw(ROLLUP_COLUMNS.map((name) => (isFloat(name) ? `sum(e.${name}) as ${name}` : `coalesce(sum(e.${name}), 0)::int as ${name}`)).join(", "));

export type EdgeRow = Record<string, unknown> & { user_id: string };

/** The contributions of the day frame's edge minute, per user (a few rows), for a rebuild of every user. */
export async function readEdge(db: DbOrTx, timeFrames: readonly TimeFrame[], now: Date): Promise<EdgeRow[]> {
  const edge = edgeOf(frameSet(timeFrames, now));
  if (edge === null) return [];
  return db.execute<EdgeRow>(sql`select e.user_id, ${edgeSums} from (${sourceParts(constantKey, edge, null)}) e group by e.user_id`);
}

/**
 * Whether a rollup row `r` is the one that holds its user's figures in the frame starting at `start` (`-infinity`
 * for `total`): the user's oldest row at or after the start, i.e. at or after it with the next older row before it.
 */
const holdsFrame = (start: SQL) => sql`(r.bucket >= ${start} and (r.older_bucket is null or r.older_bucket < ${start}))`;
const startOf = (baseDate: Date | null) => sql`${baseDate?.toISOString() ?? "-infinity"}::timestamptz`;

/** Whose rows a statement writes: the given users', or every user's but the day rows of `exceptDayOf`. */
type Scope = { users: readonly string[] } | { exceptDayOf: readonly string[] };

/**
 * The statement of `refreshBoardsFromRollup`. `edge`: the day board's edge minute as read beforehand (`readEdge`,
 * passed in as JSON), `"sources"` to read it in the statement, null to leave it out (the scope leaves out the day
 * rows of the users who have contributions in it). `count`: end with the rows per board and frame.
 */
function boardsStatement(
  set: FrameSet,
  now: Date,
  scope: Scope,
  boards: BoardChoice,
  { edge: edgeInput, count }: { edge: EdgeRow[] | "sources" | null; count: boolean },
): SQL {
  const userIds = "users" in scope ? scope.users : null;
  const exceptDayOf = "exceptDayOf" in scope ? scope.exceptDayOf : [];
  const day = set.frames.find((frame) => frame.timeFrame === "day");
  const edge = edgeInput === null ? null : edgeOf(set);
  const perFrame = sql.raw(ROLLUP_COLUMNS.map((name) => (isFloat(name) ? `r.${name}` : `coalesce(r.${name}, 0) as ${name}`)).join(", "));
  const scale = sql.raw(SCALE_LABELS.map((name) => `(${name}_sum / nullif(${name}_n, 0))::real as ${name}`).join(", "));
  const trollScore = sql.raw(`3 * red_flags - upvotes + downvotes + spam_prompts + ${FLAG_LABELS.filter((name) => name !== "spam").join(" + ")}`);
  const fresh: SQL[] = [];
  const writes: SQL[] = [];
  const counts: SQL[] = [];
  if (boards.leaderboards) {
    fresh.push(sql`fresh_lb as (
      select user_id, time_frame, base_date, ${sql.raw(COUNTERS.join(", "))} from per_frame where lb_n > 0
    )`);
    writes.push(userStatsWrites(set, userIds, { fresh: "fresh_lb", suffix: "_lb", exceptDayOf }));
    counts.push(sql`select 'leaderboards' as board, time_frame, count(*)::int as rows from fresh_lb group by time_frame`);
  }
  if (boards.trollboards) {
    fresh.push(sql`fresh_troll as (
      select user_id, time_frame, base_date, ${trollScore} as troll_score, red_flags, upvotes, downvotes, spam_prompts,
        ${sql.raw(FLAG_LABELS.join(", "))}, ${scale}
      from per_frame where troll_n > 0
    )`);
    writes.push(trollStatsWrites(set, userIds, { fresh: "fresh_troll", suffix: "_troll", exceptDayOf }));
    counts.push(sql`select 'trollboards' as board, time_frame, count(*)::int as rows from fresh_troll group by time_frame`);
  }
  // A day row plus the edge minute's contributions (either may be missing).
  const plusEdge = sql.raw(ROLLUP_COLUMNS.map((name) => (isFloat(name) ? `coalesce(p.${name} + e.${name}, p.${name}, e.${name}) as ${name}` : `coalesce(p.${name}, 0) + coalesce(e.${name}, 0) as ${name}`)).join(", "));
  const withEdge = edgeInput !== null && edge !== null && (edgeInput === "sources" || edgeInput.length > 0);
  const recordType = sql.raw(["user_id uuid", ...ROLLUP_COLUMNS.map((name) => `${name} ${isFloat(name) ? "float8" : "int"}`)].join(", "));
  const edgeSource = edgeInput === "sources"
    ? sql`select e.user_id, ${edgeSums} from (${sourceParts(constantKey, edge, userIds)}) e group by e.user_id`
    : sql`select * from jsonb_to_recordset(${JSON.stringify(edgeInput)}::jsonb) as x (${recordType})`;
  // One row per user and frame, picked by a filter during one scan of the rollup (no sort, no grouping): a row
  // holds the frames whose start lies after its next older bucket and at or before its own bucket. The where clause
  // repeats the join's condition with each frame's start as a constant, so the scan drops the rows that hold no frame
  // (three in four) before they reach the join.
  return sql`
    with summed as (
      select r.user_id, frames.time_frame, frames.base_date, ${perFrame}
      from leaderboard_rollup r
      join ${framesTable(set)} on ${holdsFrame(sql`coalesce(frames.base_date, '-infinity')`)}
      where (${sql.join(set.frames.map((frame) => holdsFrame(startOf(frame.baseDate))), sql` or `)}) ${userFilter("r.user_id", userIds)}
        ${exceptDayRows("r.user_id", "frames.time_frame", exceptDayOf)}
    ),
    ${withEdge
      ? sql`edge as (select x.*, 'day'::time_frame as time_frame from (${edgeSource}) x),
    per_frame as (
      select coalesce(p.user_id, e.user_id) as user_id, coalesce(p.time_frame, e.time_frame) as time_frame,
        coalesce(p.base_date, ${day!.baseDate!.toISOString()}::timestamptz) as base_date, ${plusEdge}
      from summed p full join edge e on e.user_id = p.user_id and e.time_frame = p.time_frame
    ),`
      : sql`per_frame as (select * from summed),`}
    ${sql.join(fresh, sql`,`)},
    ${sql.join(writes, sql`,`)}
    ${count ? sql.join(counts, sql` union all `) : sql`select 1`}`;
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
 * The repair: rebuilds the whole rollup from the contributions and then every board from it, in one transaction
 * holding the rollup lock (flushes leave their marks meanwhile). Pending marks are consumed first: the rebuild reads
 * the sources after them. Slow (every contribution is read); the seed, the benchmark and an operator use it.
 */
export async function repairRollup(db: DbOrTx, now: Date = new Date()): Promise<{ rollupRows: number; boards: BoardsResult }> {
  await lockRollup(db);
  await db.execute(sql`set local jit = off`);
  await db.execute(sql`delete from leaderboard_dirty_users`);
  const rollupRows = await refreshRollup(db, null, now);
  await db.execute(sql`analyze leaderboard_rollup`);
  const boards = await refreshBoardsFromRollup(db, ["day", "week", "month", "total"], now, null);
  return { rollupRows, boards };
}
