import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { LABEL_TASK_TYPES } from "@/server/domain/tasks/types";
import { uuidArray } from "@/server/domain/messages/queries";
import { type TimeFrame, timeFrameStart } from "./time-frames";

/**
 * `computeLeaderScore` (score.ts) as SQL over the counter columns, for the set-based refresh. Counts are
 * non-negative integers, so integer division by 10 equals OA's `int(n * 0.1)`. A test checks this expression
 * against `computeLeaderScore` on random counters; change both together.
 */
export const LEADER_SCORE_SQL = sql.raw(`(
  prompts / 10 + 4 * replies_assistant + replies_prompter + labels_simple + 2 * labels_full + rankings_total
  + rankings_good + accepted_prompts / 10 + 4 * accepted_replies_assistant + accepted_replies_prompter
  + 9 * reply_ranked_1 + 3 * reply_ranked_2 + reply_ranked_3)`);

/**
 * The message counters of a user's own messages (alias `m`), as aggregate expressions: the one statement of what
 * counts as a prompt or an accepted reply, shared by the from-source refresh and the rollup.
 */
export const MESSAGE_COUNTERS = {
  prompts: "count(*) filter (where m.parent_id is null)",
  accepted_prompts: "count(*) filter (where m.parent_id is null and m.review_result)",
  replies_assistant: "count(*) filter (where m.parent_id is not null and m.role = 'assistant')",
  accepted_replies_assistant: "count(*) filter (where m.parent_id is not null and m.role = 'assistant' and m.review_result)",
  replies_prompter: "count(*) filter (where m.parent_id is not null and m.role = 'prompter')",
  accepted_replies_prompter: "count(*) filter (where m.parent_id is not null and m.role = 'prompter' and m.review_result)",
} as const;

export const COUNTERS = [
  "prompts", "accepted_prompts", "replies_assistant", "accepted_replies_assistant", "replies_prompter",
  "accepted_replies_prompter", "labels_simple", "labels_full", "rankings_total", "rankings_good",
  "reply_ranked_1", "reply_ranked_2", "reply_ranked_3",
] as const;
type Counter = (typeof COUNTERS)[number];

/**
 * One `select` of the union below: the given counters, zero for the rest. Cast to int so the outer `sum` keeps a
 * bigint state (summing count(*)'s bigint would accumulate numerics: twice the memory and time at 100k users).
 */
const part = (values: Partial<Record<Counter, string>>) =>
  sql.raw(COUNTERS.map((name) => `(${values[name] ?? "0"})::int as ${name}`).join(", "));

export const LABEL_TYPES = sql.raw(LABEL_TASK_TYPES.map((type) => `'${type}'`).join(", "));
const SUMS = sql.raw(COUNTERS.map((name) => `sum(${name})::int as ${name}`).join(", "));

export type RefreshResult = { timeFrame: TimeFrame; rows: number; baseDate: Date | null };

/**
 * Restricts a refresh to some users (`flushDirtyUsers`): one bind parameter however many ids, so a large dirty set
 * never runs into PostgreSQL's parameter limit. `null` = everyone (the full rebuild).
 */
export const userFilter = (column: string, userIds: readonly string[] | null) =>
  userIds === null ? sql`` : sql`and ${sql.raw(column)} = any(${uuidArray(userIds)})`;

/**
 * Leaves the day-frame rows of some users out of a refresh of every user (the full rebuild from the rollup writes
 * them in a second statement, with the day board's edge minute added): a condition on rows whose user and frame are in
 * `userColumn` and `frameColumn`. Empty for no users.
 */
export const exceptDayRows = (userColumn: string, frameColumn: string, userIds: readonly string[]) =>
  userIds.length === 0
    ? sql``
    : sql`and not (${sql.raw(frameColumn)} = 'day' and ${sql.raw(userColumn)} = any(${uuidArray(userIds)}))`;

/** The time frames of one refresh, each with its start and one bit of the row masks below. */
export type FrameSet = { frames: { timeFrame: TimeFrame; baseDate: Date | null; bit: number }[] };

export function frameSet(timeFrames: readonly TimeFrame[], now: Date): FrameSet {
  return { frames: [...new Set(timeFrames)].map((timeFrame, index) => ({ timeFrame, baseDate: timeFrameStart(timeFrame, now), bit: 1 << index })) };
}

/** `(time_frame, base_date, bit)` rows of the refreshed frames, as a FROM item. */
export const framesTable = ({ frames }: FrameSet) =>
  sql`(values ${sql.join(
    frames.map((f) => sql`(${f.timeFrame}::time_frame, ${f.baseDate?.toISOString() ?? null}::timestamptz, ${sql.raw(String(f.bit))})`),
    sql`, `,
  )}) as frames (time_frame, base_date, bit)`;

/**
 * The frames a row dated `column` falls in, as a bit mask: sources are aggregated once per (user, mask) — a handful
 * of masks per user — and each frame sums the groups whose mask has its bit, so one pass over a table serves every
 * frame instead of one pass per frame.
 */
export const frameMask = ({ frames }: FrameSet, column: string) =>
  sql.join(
    frames.map((f) => {
      const bit = sql.raw(String(f.bit));
      return f.baseDate === null ? bit : sql`(case when ${sql.raw(column)} >= ${f.baseDate.toISOString()}::timestamptz then ${bit} else 0 end)`;
    }),
    sql` | `,
  );

/** The oldest start among the frames (`-infinity` with `total`): rows before it are in no frame. */
export const oldestStart = ({ frames }: FrameSet) => {
  const starts = frames.map((f) => f.baseDate);
  const oldest = starts.includes(null) ? null : new Date(Math.min(...starts.map((d) => d!.getTime())));
  return sql`coalesce(${oldest?.toISOString() ?? null}::timestamptz, '-infinity')`;
};

/**
 * Recomputes `user_stats` for the given time frames with set-based SQL (spec §4.3) in one statement: one pass over
 * each source table, aggregated per user and frame mask (see `frameMask`), summed per frame, scored, ranked and
 * upserted; users without activity in a frame lose their row there. Rows whose figures did not change are not
 * rewritten (a repair run over current boards writes almost nothing), so `modified_date` and `base_date` say when a
 * row's figures last changed. Fixes §8.9 — `rankings_good` counts the user's rankings whose first choice became the
 * consensus winner, and `reply_ranked_N` counts the user's replies whose consensus rank among their siblings is N
 * (not individual votes), dated by the parent's last ranking, when that consensus was reached. Hidden, disabled,
 * banned and deleted users keep their rows; readers leave them unranked. With `userIds` only those users are
 * recomputed. One statement, so
 * it is atomic on its own; the job wrapper holds the lock that keeps two runs apart.
 */
export async function refreshUserStatsFrames(
  db: DbOrTx,
  timeFrames: readonly TimeFrame[],
  now: Date = new Date(),
  userIds: readonly string[] | null = null,
): Promise<RefreshResult[]> {
  const set = frameSet(timeFrames, now);
  const since = oldestStart(set);
  const full = userIds === null;
  const upserted = await db.execute<{ time_frame: TimeFrame; rows: number }>(sql`
    with parts as (
      select m.user_id, ${frameMask(set, "m.created_date")} as mask, ${part(MESSAGE_COUNTERS)}
      from messages m where not m.deleted and m.user_id is not null and m.created_date >= ${since} ${userFilter("m.user_id", userIds)}
      group by 1, 2
      union all
      select t.user_id, ${frameMask(set, "t.created_date")}, ${part({
        labels_simple: "count(*) filter (where t.payload ->> 'mode' = 'simple')",
        labels_full: "count(*) filter (where t.payload ->> 'mode' = 'full')",
      })}
      from tasks t where t.done and t.type in (${LABEL_TYPES}) and t.user_id is not null and t.created_date >= ${since}
        ${userFilter("t.user_id", userIds)}
      group by 1, 2
      union all
      select r.user_id, ${frameMask(set, "r.created_date")}, ${part({
        rankings_total: "count(*)",
        rankings_good: "count(*) filter (where best.rank = 0 and not coalesce((r.payload ->> 'notRankable')::boolean, false))",
      })}
      from message_reactions r
      left join messages best on best.id = (r.payload -> 'rankedMessageIds' ->> 0)::uuid and not best.deleted
      where r.created_date >= ${since} ${userFilter("r.user_id", userIds)}
      group by 1, 2
      union all
      select m.user_id, ${frameMask(set, "ranked.ranked_at")}, ${part({
        reply_ranked_1: "count(*) filter (where m.rank = 0)",
        reply_ranked_2: "count(*) filter (where m.rank = 1)",
        reply_ranked_3: "count(*) filter (where m.rank = 2)",
      })}
      from messages m
      ${full
        ? sql`join (select message_id, max(created_date) as ranked_at from message_reactions group by message_id) ranked
            on ranked.message_id = m.parent_id`
        // A few users: look up their ranked replies' parents instead of aggregating every ranking.
        : sql`join lateral (select max(r.created_date) as ranked_at from message_reactions r where r.message_id = m.parent_id) ranked on true`}
      where not m.deleted and m.user_id is not null and m.rank between 0 and 2 and ranked.ranked_at >= ${since}
        ${userFilter("m.user_id", userIds)}
      group by 1, 2
    ),
    fresh as (
      select p.user_id, frames.time_frame, frames.base_date, ${SUMS}
      from parts p join ${framesTable(set)} on p.mask & frames.bit <> 0
      group by p.user_id, frames.time_frame, frames.base_date
    ),
    ${userStatsWrites(set, userIds)}
    select time_frame, count(*)::int as rows from scored group by time_frame`);
  const rows = new Map(upserted.map((row) => [row.time_frame, Number(row.rows)]));
  return set.frames.map(({ timeFrame, baseDate }) => ({ timeFrame, rows: rows.get(timeFrame) ?? 0, baseDate }));
}


/** A board table and the figure columns a refresh compares and writes (keys, `base_date`, `modified_date` aside). */
export type BoardTable = { table: "user_stats" | "troll_stats"; columns: readonly string[] };

/** Where a board's writes read what changed: a relation of fresh rows, the address of each stale row, and which rows are which. */
export type BoardChanges = { relation: string; staleRow: string; isStale: string; isWritten: string };

/**
 * The writes of a board refresh, as two CTEs named with `suffix`: the stale rows deleted by their row address and the
 * new or changed rows upserted (their figures in the columns of the same names). Deleting by address is safe because
 * every writer of a user's board rows holds that user's rollup lock or the exclusive one (rollup.ts), except a user's
 * deletion, whose cascade the delete then skips.
 */
export function boardApply({ table, columns }: BoardTable, changes: BoardChanges, suffix: string) {
  const list = sql.raw(columns.join(", "));
  const { relation, staleRow, isStale, isWritten } = changes;
  return sql`
    stale${sql.raw(suffix)} as (
      delete from ${sql.raw(table)} where ctid = any(array(select ${sql.raw(staleRow)} from ${sql.raw(relation)} where ${sql.raw(isStale)}))
    ),
    written${sql.raw(suffix)} as (
      insert into ${sql.raw(table)} (user_id, time_frame, base_date, modified_date, ${list})
      select user_id, time_frame, base_date, now(), ${list} from ${sql.raw(relation)} where ${sql.raw(isWritten)}
      on conflict (time_frame, user_id) do update set base_date = excluded.base_date, modified_date = excluded.modified_date,
        ${sql.raw(columns.map((name) => `${name} = excluded.${name}`).join(", "))}
      returning 1)`;
}

/**
 * The write half of a board refresh, as CTEs that follow a CTE of fresh rows (one per user and frame with activity,
 * with every figure column of `table`): the frame's current rows of those users are matched with the fresh ones in
 * one full join (one pass over the board); rows without a fresh counterpart are deleted and fresh rows whose figures
 * differ are upserted (`boardApply`). Rows hold figures only (no rank, no visibility: readers apply both), so a row
 * is written only when its user's contributions in the frame change, and a repair run over current boards writes
 * almost nothing. `suffix` names the CTEs (`diff<suffix>`, …) so one statement can write both boards.
 */
export function boardWrites(set: FrameSet, userIds: readonly string[] | null, board: BoardTable & { fresh: string; suffix: string }) {
  const { table, columns, fresh, suffix } = board;
  const list = (prefix: string) => sql.raw(columns.map((name) => `${prefix}${name}`).join(", "));
  return sql`
    diff${sql.raw(suffix)} as (
      select f.*, o.ctid as stale_row
      from ${sql.raw(fresh)} f
      full join (
        select ctid, * from ${sql.raw(table)} s where s.time_frame in (select time_frame from ${framesTable(set)}) ${userFilter("s.user_id", userIds)}
      ) o on o.time_frame = f.time_frame and o.user_id = f.user_id
      where f.user_id is null or o.user_id is null or (${list("o.")}) is distinct from (${list("f.")})
    ),
    ${boardApply(board, { relation: `diff${suffix}`, staleRow: "stale_row", isStale: "user_id is null", isWritten: "user_id is not null" }, suffix)}`;
}

/** Where a board refresh's writes read their fresh rows (`fresh`, a CTE name) and how their CTEs are named (`suffix`, so one statement can write both boards). */
export type WritesOptions = { fresh?: string; suffix?: string };

/** The leaderboard's table and the figures it compares and writes. */
export const USER_STATS: BoardTable = { table: "user_stats", columns: ["leader_score", ...COUNTERS] };

/** The write half of a `user_stats` refresh (`boardWrites`), scoring the fresh rows first (CTE `scored<suffix>`). */
export function userStatsWrites(set: FrameSet, userIds: readonly string[] | null, { fresh = "fresh", suffix = "" }: WritesOptions = {}) {
  return sql`
    scored${sql.raw(suffix)} as (
      select f.*, ${LEADER_SCORE_SQL} as leader_score from ${sql.raw(fresh)} f
    ),
    ${boardWrites(set, userIds, { ...USER_STATS, fresh: `scored${suffix}`, suffix })}`;
}

/** One time frame of `refreshUserStatsFrames` (tests and the benchmark compare the rollup's boards with it). */
export async function refreshUserStats(
  db: DbOrTx,
  timeFrame: TimeFrame,
  now: Date = new Date(),
  userIds: readonly string[] | null = null,
): Promise<RefreshResult> {
  const [result] = await refreshUserStatsFrames(db, [timeFrame], now, userIds);
  return result!;
}
