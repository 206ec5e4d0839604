import { sql } from "drizzle-orm";
import type { Database, DbOrTx } from "@/server/db/client";
import { leaderboardFrameBases } from "@/server/db/schema";
import { withJobLock } from "@/server/inngest/job-lock";
import { type BoardChoice, type BoardsResult, refreshBoardsFromRollup } from "./boards-from-rollup";
import { lockRollup, refreshMarkedRollup, repairRollup } from "./rollup";
import { TIME_FRAMES, type TimeFrame, timeFrameStart } from "./time-frames";

export type RebuildResult = BoardsResult;
type Board = keyof BoardsResult;
const BOARDS: readonly Board[] = ["leaderboards", "trollboards"];
const chosen = (boards: BoardChoice): Board[] => BOARDS.filter((board) => boards[board]);
const only = (board: Board): BoardChoice => ({ leaderboards: board === "leaderboards", trollboards: board === "trollboards" });

/** The job locks of the chosen boards and frames (the cron jobs' names), so a rebuild and a job never interleave. */
const jobLocks = (timeFrames: readonly TimeFrame[], boards: BoardChoice) => [
  ...(boards.leaderboards ? timeFrames.map((frame) => `leaderboard:${frame}`) : []),
  ...(boards.trollboards ? timeFrames.map((frame) => `troll-stats:${frame}`) : []),
];

/** Records that the given frames of the chosen boards now hold every user's figures for the window starting at `now`'s. */
async function recordBases(db: DbOrTx, timeFrames: readonly TimeFrame[], now: Date, boards: BoardChoice): Promise<void> {
  const rows = chosen(boards).flatMap((board) => timeFrames.map((timeFrame) => ({ board, timeFrame, baseDate: timeFrameStart(timeFrame, now), asOf: now })));
  if (rows.length === 0) return;
  await db
    .insert(leaderboardFrameBases)
    .values(rows)
    .onConflictDoUpdate({
      target: [leaderboardFrameBases.board, leaderboardFrameBases.timeFrame],
      set: { baseDate: sql`excluded.base_date`, asOf: sql`excluded.as_of` },
    });
}

/**
 * The latest instant any board frame was computed at for every user (null: never). A flush computes its users' rows
 * for no earlier instant, so it never brings back contributions an advance dropped from a window. Read under the
 * shared rollup lock, which excludes a running advance.
 */
export async function boardsAsOf(db: DbOrTx): Promise<Date | null> {
  const [row] = await db.execute<{ as_of: string | null }>(sql`select max(as_of)::text as as_of from leaderboard_frame_bases`);
  return row?.as_of ? new Date(row.as_of) : null;
}

/**
 * Rebuilds the given frames of the chosen boards for every user from the leaderboard rollup (rollup.ts) in one
 * statement: rollup rows summed into the frames and written where changed, and records the frames' new starts (so
 * the next `advanceBoards` goes on from here). The repair tool for the boards (`advanceBoards` keeps them current);
 * contributions reach the boards through the dirty-user flush without it. Runs under the jobs' locks (skipped, with
 * null results, when another run holds one) and the exclusive rollup lock (flushes leave their marks meanwhile); the
 * rollup rows of users with pending marks are rewritten first (`refreshMarkedRollup`), so the rebuild reads a current
 * rollup.
 */
export async function rebuildBoards(
  db: Database,
  timeFrames: readonly TimeFrame[] = TIME_FRAMES,
  now: Date = new Date(),
  boards: BoardChoice = { leaderboards: true, trollboards: true },
): Promise<RebuildResult> {
  const run = await withJobLock(db, jobLocks(timeFrames, boards), async (tx) => {
    await lockRollup(tx);
    await refreshMarkedRollup(tx, now);
    const result = await refreshBoardsFromRollup(tx, timeFrames, now, null, boards);
    await recordBases(tx, timeFrames, now, boards);
    return result;
  });
  return run.ran ? run.result : { leaderboards: null, trollboards: null };
}

/** Every leaderboard and trollboard, all four frames, recomputed from the rollup for every user (`rebuildBoards`). */
export async function rebuildAllBoards(db: Database, now: Date = new Date()): Promise<RebuildResult> {
  return rebuildBoards(db, TIME_FRAMES, now);
}

/**
 * One frame of one board after an advance: how many users were recomputed (`"all"`: the frame was rebuilt in full,
 * having no recorded start or too many users to recompute one by one), the rows those users now have in the frame,
 * and the frame's start.
 */
export type AdvanceResult = { timeFrame: TimeFrame; baseDate: Date | null; recomputed: number | "all"; rows: number };
export type AdvanceResults = { leaderboards: AdvanceResult[] | null; trollboards: AdvanceResult[] | null };

/**
 * Above this many users whose buckets left (or entered) a window, a frame is rebuilt in full from the rollup: the
 * per-user statement costs about 70–90 µs a user and board, the full one 0.5–0.8 s a frame and board at 100k users
 * since rollup rows hold suffix sums (bench/leaderboard-refresh.results.md, 1 December evening; 1–1.7 s before).
 */
export const REBUILD_FRAME_ABOVE = 8_000;

const MINUTE_MS = 60_000;

/**
 * The users whose figures in a frame differ between the window starting at `from` and the one starting at `to`:
 * those with rollup rows in the buckets between the two starts. The rollup bucket containing the earlier start is
 * included (the day frame's start falls inside a minute bucket whose contributions are partly in the window); a
 * bucket is never wider than a minute where the day frame can start, and week and month starts fall on bucket edges
 * (rollup.ts).
 */
async function usersBetween(db: DbOrTx, from: Date, to: Date): Promise<string[]> {
  const [early, late] = from <= to ? [from, to] : [to, from];
  const floor = new Date(Math.floor(early.getTime() / MINUTE_MS) * MINUTE_MS);
  const rows = await db.execute<{ user_id: string }>(sql`
    select distinct user_id from leaderboard_rollup
    where bucket >= ${floor.toISOString()}::timestamptz and bucket < ${late.toISOString()}::timestamptz`);
  return rows.map((row) => row.user_id).sort();
}

/**
 * Brings the given frames of the chosen boards to the windows of `now` by recomputing only the users whose
 * contributions left (or entered) a window since its recorded start (`leaderboard_frame_bases`): the scheduled
 * upkeep of the boards. Every other user's row already holds their figures for the new window, because contributions
 * reach the boards through the dirty-user flush and a window's move changes only the users with contributions in
 * the span it moved over. Proof sketch: a row written at start `s_row` (by a flush, an advance or a rebuild) is
 * correct for any start `s ≥ s_row` with no contributions of its user in `[s_row, s)`; each advance recomputes the
 * users with contributions in `[s_prev, s_new)` and every row's `s_row ≥ s_prev` or has no contributions in
 * `[s_row, s_prev)`, by induction. The induction needs every row to be computed for a start no earlier than the
 * recorded one: flushes never compute for an instant before the last advance (`boardsAsOf`). A row a flush computed
 * for a later instant than an advance's (the advance took its clock before waiting for the flush) is ahead by those
 * seconds until the next advance, which covers them. A frame without a recorded start (a new install, or a database
 * from before the table) is rebuilt in full, as is one with more than `REBUILD_FRAME_ABOVE` users to recompute.
 * `total` has no window: it is only built once. Same locks as `rebuildBoards`.
 */
export async function advanceBoards(
  db: Database,
  timeFrames: readonly TimeFrame[] = TIME_FRAMES,
  now: Date = new Date(),
  boards: BoardChoice = { leaderboards: true, trollboards: true },
  { rebuildFrameAbove = REBUILD_FRAME_ABOVE }: { rebuildFrameAbove?: number } = {},
): Promise<AdvanceResults> {
  const run = await withJobLock(db, jobLocks(timeFrames, boards), async (tx) => {
    await lockRollup(tx);
    await refreshMarkedRollup(tx, now);
    const recorded = await tx.select().from(leaderboardFrameBases);
    // Per board and frame: the users whose contributions left (or entered) its window since its recorded start, or
    // null — every user — when it has no recorded start or too many users to recompute one by one. Both boards
    // usually share their frames' starts: each span is read once.
    const spans = new Map<string, string[]>();
    const plans: { board: Board; timeFrame: TimeFrame; start: Date | null; users: string[] | null }[] = [];
    for (const board of chosen(boards)) {
      for (const timeFrame of timeFrames) {
        const start = timeFrameStart(timeFrame, now);
        const base = recorded.find((row) => row.board === board && row.timeFrame === timeFrame);
        let users: string[] | null = [];
        if (base === undefined) users = null;
        else if (start !== null && base.baseDate !== null) {
          const span = `${base.baseDate.toISOString()}/${start.toISOString()}`;
          if (!spans.has(span)) spans.set(span, await usersBetween(tx, base.baseDate, start));
          users = spans.get(span)!;
          if (users.length > rebuildFrameAbove) users = null;
        }
        plans.push({ board, timeFrame, start, users });
      }
    }
    // The frames some board rebuilds in full, in one statement for every such frame and every board that rebuilds one
    // of them, so they share one scan of the rollup (a UTC midnight moves the week and the month of both boards: four
    // in one pass, not four passes). Such a board that needed only some users recomputed in another of those frames
    // gets that one rebuilt in full too: as correct.
    const full = plans.filter((plan) => plan.users === null);
    const fullFrames = timeFrames.filter((frame) => full.some((plan) => plan.timeFrame === frame));
    const rebuilt = fullFrames.length === 0
      ? { leaderboards: null, trollboards: null }
      : await refreshBoardsFromRollup(tx, fullFrames, now, null, {
          leaderboards: full.some((plan) => plan.board === "leaderboards"),
          trollboards: full.some((plan) => plan.board === "trollboards"),
        });
    const results: AdvanceResults = { leaderboards: boards.leaderboards ? [] : null, trollboards: boards.trollboards ? [] : null };
    for (const { board, timeFrame, start, users } of plans) {
      const inFull = rebuilt[board]?.find((frame) => frame.timeFrame === timeFrame);
      let result: AdvanceResult;
      if (inFull) {
        result = { timeFrame, baseDate: start, recomputed: "all", rows: inFull.rows };
      } else if (users !== null && users.length > 0) {
        const [frame] = (await refreshBoardsFromRollup(tx, [timeFrame], now, users, only(board)))[board]!;
        result = { timeFrame, baseDate: start, recomputed: users.length, rows: frame!.rows };
      } else {
        result = { timeFrame, baseDate: start, recomputed: 0, rows: 0 };
      }
      results[board]!.push(result);
    }
    await recordBases(tx, timeFrames, now, boards);
    return results;
  });
  return run.ran ? run.result : { leaderboards: null, trollboards: null };
}

/**
 * The repair from the contributions: the whole rollup rewritten from the source tables, then every board from it
 * (`repairRollup`), under every board job's lock. Slow (a pass over every contribution); for the seed, the benchmark
 * and operators, after data was written behind the triggers' back or to check the rollup.
 */
export async function repairAllBoards(db: Database, now: Date = new Date()): Promise<RebuildResult & { rollupRows: number }> {
  const run = await withJobLock(db, jobLocks(TIME_FRAMES, { leaderboards: true, trollboards: true }), async (tx) => {
    const rollupRows = await repairRollup(tx, now);
    const boards = await refreshBoardsFromRollup(tx, TIME_FRAMES, now, null);
    await recordBases(tx, TIME_FRAMES, now, { leaderboards: true, trollboards: true });
    return { boards, rollupRows };
  });
  return run.ran ? { ...run.result.boards, rollupRows: run.result.rollupRows } : { leaderboards: null, trollboards: null, rollupRows: 0 };
}
