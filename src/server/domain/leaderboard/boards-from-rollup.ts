import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { FLAG_LABELS, SCALE_LABELS, TROLL_STATS, trollStatsWrites } from "./refresh-troll-stats";
import {
  type BoardTable, boardApply, COUNTERS, exceptDayRows, type FrameSet, framesTable, frameSet, LEADER_SCORE_SQL, type RefreshResult,
  USER_STATS, userFilter, userStatsWrites,
} from "./refresh-user-stats";
import { isFloat, ROLLUP_COLUMNS, sourceParts, type Window } from "./rollup";
import type { TimeFrame } from "./time-frames";

/**
 * The boards computed from the leaderboard rollup (rollup.ts): a user's figures in a frame are those of their one
 * rollup row that is the oldest at or after the frame's start (rows hold suffix sums), plus, for the day frame, the
 * contributions of its edge minute read from the sources.
 */

export type BoardChoice = { leaderboards: boolean; trollboards: boolean };
export type BoardsResult = { leaderboards: RefreshResult[] | null; trollboards: RefreshResult[] | null };

const MINUTE_MS = 60_000;

/** The end of the day board's edge minute: `start` rounded up to the minute (equal to it when on the minute). */
const edgeEnd = (start: Date) => new Date(Math.ceil(start.getTime() / MINUTE_MS) * MINUTE_MS);

/**
 * Recomputes the given frames of the chosen boards from the rollup (plus the day frame's edge minute from the
 * sources), for every user (`null`) or the given ones, writing rows where changed. The rollup must be current for
 * those users (no pending marks, or the marks are folded in by the next flush).
 *
 * Given users: one statement (`boardsStatement`), which reads their edge minute from the sources and counts their
 * rows. Every user: the edge minute is read first (a few users' contributions, indexed by date); the rows of every
 * user but those users' day rows are compared with the boards in one read PostgreSQL can run in parallel and written
 * where changed (`rebuildEveryUser`), the edge users' day rows by `boardsStatement` with the edge added, and the
 * frames' rows are counted after.
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
    counts = await db.execute<FrameRows>(boardsStatement(set, now, userIds, boards, { edge: "sources", count: true }));
  } else {
    const edgeRows = await readEdge(db, timeFrames, now);
    const edgeUsers = edgeRows.map((row) => row.user_id).sort();
    await rebuildEveryUser(db, set, boards, edgeUsers);
    if (edgeUsers.length > 0) {
      await db.execute(boardsStatement(frameSet(["day"], now), now, edgeUsers, boards, { edge: edgeRows, count: false }));
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

/** A frame's rollup figures, zeros for nulls (floats stay null: no labels, no average). */
const PER_FRAME = sql.raw(ROLLUP_COLUMNS.map((name) => (isFloat(name) ? `r.${name}` : `coalesce(r.${name}, 0) as ${name}`)).join(", "));

/**
 * The frames a rollup row holds, as an equality join. A row holds a frame when the frame's start lies after the row's
 * next older bucket and at or before its own bucket. With the set's starts in ascending order (`total` first, at
 * `-infinity`), let a date's rank be how many of the finite starts are at or before it (an older bucket that is null
 * ranks below them all): a row then holds exactly the frames whose position is above its older bucket's rank and at
 * most its bucket's rank. The two ranks make one small number, its span, and a table of every span with the frames
 * it holds is joined to the rows by that number: a hash lookup per row. Comparing each row with each frame's start
 * instead cost 0.7–0.9 s of picking against 0.5 s at 100k users (bench/results/ab-parallel-rebuild.md). Rows that
 * hold no frame (three in four) find no span in the table.
 */
function framesHeld(set: FrameSet) {
  const finite = set.frames.filter((frame) => frame.baseDate !== null).sort((a, b) => a.baseDate!.getTime() - b.baseDate!.getTime());
  const total = set.frames.find((frame) => frame.baseDate === null);
  const n = finite.length;
  // Frame positions: `total` 0, the finite starts 1..n in ascending order.
  const positioned = [...(total ? [{ frame: total, position: 0 }] : []), ...finite.map((frame, i) => ({ frame, position: i + 1 }))];
  /** A date column's rank as SQL: the latest start at or before it decides (`whenNull`: the rank of a null date). */
  const rankOf = (column: string, whenNull: string) => {
    const steps = finite.map((frame, i) => sql`when ${sql.raw(column)} >= ${frame.baseDate!.toISOString()}::timestamptz then ${sql.raw(String(i + 1))}`).reverse();
    if (steps.length === 0 && whenNull === "") return sql`0`;
    return sql`(case ${sql.raw(whenNull)} ${sql.join(steps, sql` `)} else 0 end)`;
  };
  const span = (olderRank: number, bucketRank: number) => (olderRank + 1) * (n + 1) + bucketRank;
  const spans: SQL[] = [];
  for (let olderRank = -1; olderRank <= n; olderRank++) {
    for (let bucketRank = 0; bucketRank <= n; bucketRank++) {
      for (const { frame, position } of positioned) {
        if (olderRank < position && position <= bucketRank) {
          spans.push(sql`(${sql.raw(String(span(olderRank, bucketRank)))}, ${frame.timeFrame}::time_frame, ${frame.baseDate?.toISOString() ?? null}::timestamptz)`);
        }
      }
    }
  }
  return sql`(values ${sql.join(spans, sql`, `)}) as frames (span, time_frame, base_date)
    on frames.span = (${rankOf("r.older_bucket", "when r.older_bucket is null then -1")} + 1) * ${sql.raw(String(n + 1))} + ${rankOf("r.bucket", "")}`;
}

/**
 * One row per user and frame (`user_id, time_frame, base_date` and every rollup figure), picked from the rollup in
 * one scan with no sort or grouping (`framesHeld`). Only the given users (null: everyone), without the day rows of
 * `exceptDayOf`.
 */
function pickedRows(set: FrameSet, userIds: readonly string[] | null, exceptDayOf: readonly string[] = []): SQL {
  return sql`
    select r.user_id, frames.time_frame, frames.base_date, ${PER_FRAME}
    from leaderboard_rollup r
    join ${framesHeld(set)} ${exceptDayRows("r.user_id", "frames.time_frame", exceptDayOf)}
    where true ${userFilter("r.user_id", userIds)}`;
}

/** The trollboard's figures computed from a frame's rollup figures (bare column names, as `pickedRows` names them). */
const TROLL_SCORE = sql.raw(`3 * red_flags - upvotes + downvotes + spam_prompts + ${FLAG_LABELS.filter((name) => name !== "spam").join(" + ")}`);
const SCALE_AVERAGES = sql.raw(SCALE_LABELS.map((name) => `(${name}_sum / nullif(${name}_n, 0))::real as ${name}`).join(", "));

/**
 * The statement of `refreshBoardsFromRollup` for the given users. `edge`: the day board's edge minute as read
 * beforehand (`readEdge`, passed in as JSON) or `"sources"` to read it in the statement. `count`: end with the rows
 * per board and frame.
 */
function boardsStatement(
  set: FrameSet,
  now: Date,
  userIds: readonly string[],
  boards: BoardChoice,
  { edge: edgeInput, count }: { edge: EdgeRow[] | "sources"; count: boolean },
): SQL {
  const day = set.frames.find((frame) => frame.timeFrame === "day");
  const edge = edgeOf(set);
  const fresh: SQL[] = [];
  const writes: SQL[] = [];
  const counts: SQL[] = [];
  if (boards.leaderboards) {
    fresh.push(sql`fresh_lb as (
      select user_id, time_frame, base_date, ${sql.raw(COUNTERS.join(", "))} from per_frame where lb_n > 0
    )`);
    writes.push(userStatsWrites(set, userIds, { fresh: "fresh_lb", suffix: "_lb" }));
    counts.push(sql`select 'leaderboards' as board, time_frame, count(*)::int as rows from fresh_lb group by time_frame`);
  }
  if (boards.trollboards) {
    fresh.push(sql`fresh_troll as (
      select user_id, time_frame, base_date, ${TROLL_SCORE} as troll_score, red_flags, upvotes, downvotes, spam_prompts,
        ${sql.raw(FLAG_LABELS.join(", "))}, ${SCALE_AVERAGES}
      from per_frame where troll_n > 0
    )`);
    writes.push(trollStatsWrites(set, userIds, { fresh: "fresh_troll", suffix: "_troll" }));
    counts.push(sql`select 'trollboards' as board, time_frame, count(*)::int as rows from fresh_troll group by time_frame`);
  }
  // A day row plus the edge minute's contributions (either may be missing).
  const plusEdge = sql.raw(ROLLUP_COLUMNS.map((name) => (isFloat(name) ? `coalesce(p.${name} + e.${name}, p.${name}, e.${name}) as ${name}` : `coalesce(p.${name}, 0) + coalesce(e.${name}, 0) as ${name}`)).join(", "));
  const withEdge = edge !== null && (edgeInput === "sources" || edgeInput.length > 0);
  const recordType = sql.raw(["user_id uuid", ...ROLLUP_COLUMNS.map((name) => `${name} ${isFloat(name) ? "float8" : "int"}`)].join(", "));
  const edgeSource = edgeInput === "sources"
    ? sql`select e.user_id, ${edgeSums} from (${sourceParts(constantKey, edge, userIds)}) e group by e.user_id`
    : sql`select * from jsonb_to_recordset(${JSON.stringify(edgeInput)}::jsonb) as x (${recordType})`;
  return sql`
    with summed as (${pickedRows(set, userIds)}),
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

/**
 * The boards of a rebuild of every user: each table with its figures, the rollup count that says a user has a row in
 * a frame, its alias in the read, and the prefix of its columns in `CHANGES_TABLE`.
 */
const REBUILT_BOARDS = [
  { choice: "leaderboards", board: USER_STATS, present: "lb_n", alias: "u", prefix: "lb" },
  { choice: "trollboards", board: TROLL_STATS, present: "troll_n", alias: "t", prefix: "troll" },
] as const satisfies readonly { choice: keyof BoardChoice; board: BoardTable; present: string; alias: string; prefix: string }[];
type RebuiltBoard = (typeof REBUILT_BOARDS)[number];
const rebuilt = (boards: BoardChoice) => REBUILT_BOARDS.filter(({ choice }) => boards[choice]);

/** The temporary table of a rebuild's changes: one row per user and frame where some board differs from the rollup. */
const CHANGES_TABLE = "leaderboard_board_changes";

/**
 * Planner settings for the read of a rebuild of every user (1.7M rollup rows and 400k rows a board at 1M messages;
 * bench/leaderboard-refresh.ts):
 * - a seq scan of the rollup and the boards rather than their primary keys (an index scan of the 1.6M rollup rows cost
 *   5 s of a 42 s EXPLAIN);
 * - 16 MB of work memory for the parallel hash joins against the boards (shared by the processes of the read);
 * - JIT off: compiling the statement's ~150 expressions took 9 s of a 61 s run, for a statement that runs once.
 */
const FULL_REBUILD_SETTINGS = { enable_indexscan: "off", work_mem: "16MB", jit: "off" };

/**
 * The read of a rebuild of every user: the rows `pickedRows` picks (but the day rows of `exceptDayOf`) looked up in
 * each chosen board, keeping the pairs that differ — a board row to delete (no contributions in the frame: zero
 * figures), to insert, or to update — in the temporary `CHANGES_TABLE`, with each board's row address and change
 * (`lb_row`/`lb_change`, `troll_row`/`troll_change`: `stale`, `new`, `changed`, or null where that board agrees).
 *
 * A read that writes nothing but a new table, so PostgreSQL can run it in parallel (a statement with writes in it
 * never runs in parallel), and a left join from the picked rows, because a full join cannot run in parallel before
 * PostgreSQL 16. No board row is missed: every user with board rows has rollup rows, down to an end row that holds
 * each frame starting after their newest contribution (`END_BUCKET`, rollup.ts: `refreshRollup` writes one for every
 * user it rewrites, contributions or not, and the repair one for every user with board rows), so every (user, frame)
 * pair with a board row is among the picked ones.
 */
function changesStatement(set: FrameSet, boards: BoardChoice, exceptDayOf: readonly string[]): SQL {
  const chosen = rebuilt(boards);
  const list = (alias: string, names: readonly string[]) => names.map((name) => `${alias}.${name}`).join(", ");
  const differs = ({ board, present, alias }: RebuiltBoard) => `(case when f.${present} = 0 then ${alias}.user_id is not null
      else ${alias}.user_id is null or (${list(alias, board.columns)}) is distinct from (${list("f", board.columns)}) end)`;
  // The change itself is computed for the rows kept only (a projection runs after the filter).
  const changed = (spec: RebuiltBoard) => `${spec.alias}.ctid as ${spec.prefix}_row, case when ${differs(spec)} then (case when f.${spec.present} = 0
      then 'stale' when ${spec.alias}.user_id is null then 'new' else 'changed' end) end as ${spec.prefix}_change`;
  const lookups = chosen.map(({ board, alias }) => `left join ${board.table} ${alias} on ${alias}.time_frame = f.time_frame and ${alias}.user_id = f.user_id`);
  return sql`
    create temp table ${sql.raw(CHANGES_TABLE)} on commit drop as
    select ${sql.raw(["f.user_id", "f.time_frame", "f.base_date", ...chosen.flatMap(({ board }) => list("f", board.columns)), ...chosen.map(changed)].join(", "))}
    from (
      select p.*, ${LEADER_SCORE_SQL} as leader_score, ${TROLL_SCORE} as troll_score, ${SCALE_AVERAGES}
      from (${pickedRows(set, null, exceptDayOf)}) p
    ) f
    ${sql.raw(lookups.join("\n    "))}
    where ${sql.raw(chosen.map(differs).join(" or "))}`;
}

/**
 * Rebuilds the given frames of the chosen boards for every user but the day rows of `exceptDayOf`: the changes are
 * read into a temporary table (`changesStatement`, in parallel where PostgreSQL can), then written with the refresh's
 * writes (`boardApply`) — usually a handful of rows, since a rebuild mostly finds current boards.
 */
async function rebuildEveryUser(db: DbOrTx, set: FrameSet, boards: BoardChoice, exceptDayOf: readonly string[]): Promise<void> {
  // One transaction (a savepoint in the caller's), so the changes table is there for the writes, on their connection.
  await db.transaction(async (tx) => {
    await withPlannerSettings(tx, FULL_REBUILD_SETTINGS, () => tx.execute(changesStatement(set, boards, exceptDayOf)));
    const applied = rebuilt(boards).map(({ board, prefix }) =>
      boardApply(board, { relation: CHANGES_TABLE, staleRow: `${prefix}_row`, isStale: `${prefix}_change = 'stale'`, isWritten: `${prefix}_change in ('new', 'changed')` }, `_${prefix}`));
    await tx.execute(sql`with ${sql.join(applied, sql`,`)} select 1`);
    await tx.execute(sql.raw(`drop table ${CHANGES_TABLE}`));
  });
}

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
