import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { type BoardTable, boardWrites, type FrameSet, frameMask, frameSet, framesTable, oldestStart, type RefreshResult, userFilter, type WritesOptions } from "./refresh-user-stats";
import type { TimeFrame } from "./time-frames";

/** Flag labels summed per author; OA adds all but `spam` into the troll score (`models/troll_stats.py`). */
export const FLAG_LABELS = ["spam", "lang_mismatch", "not_appropriate", "pii", "hate_speech", "sexual_content", "political_content"] as const;
/** Scale labels averaged per author. */
export const SCALE_LABELS = ["quality", "humor", "toxicity", "violence", "helpfulness"] as const;

/** Per (author, frame mask): flag counts, and sums and counts of the scale labels (averaged per frame below). */
const LABEL_PARTS = sql.raw(
  [
    ...FLAG_LABELS.map((name) => `count(*) filter (where x.${name} >= 0.5)::int as ${name}`),
    ...SCALE_LABELS.flatMap((name) => [`sum(x.${name}) as ${name}_sum`, `count(x.${name})::int as ${name}_n`]),
  ].join(", "),
);
/** Every label read from the jsonb once per row (one parse instead of one `->>` per label). */
export const LABEL_RECORD = sql.raw(`jsonb_to_record(l.labels) as x (${[...FLAG_LABELS, ...SCALE_LABELS].map((name) => `${name} float8`).join(", ")})`);
const LABEL_COLUMNS = [...FLAG_LABELS, ...SCALE_LABELS];
/** The trollboard's table and every figure column of it (what a refresh compares and writes). */
export const TROLL_STATS: BoardTable = { table: "troll_stats", columns: ["troll_score", "red_flags", "upvotes", "downvotes", "spam_prompts", ...LABEL_COLUMNS] };

/**
 * Recomputes `troll_stats` (spec §4.4) for the given time frames in one set-based statement, over the authors of
 * live messages created in each frame: emoji votes and red flags on their messages, their prompts in trees aborted
 * as low grade, and the labels others gave their messages. One pass over messages and labels serves every frame
 * (aggregated per author and frame mask, see `frameMask`); unchanged rows are not rewritten. Fixes §8.9: labels on
 * messages without emojis count too, and a flag counts when its value is ≥ 0.5 rather than casting floats to
 * integers. The score keeps OA's formula: 3·red flags − upvotes + downvotes + spam prompts + the flag counts except
 * `spam`. Everyone is ranked (when read, trollboard.ts).
 */
export async function refreshTrollStatsFrames(
  db: DbOrTx,
  timeFrames: readonly TimeFrame[],
  now: Date = new Date(),
  userIds: readonly string[] | null = null,
): Promise<RefreshResult[]> {
  const set = frameSet(timeFrames, now);
  const upserted = await db.execute<{ time_frame: TimeFrame; rows: number }>(sql`
    with authored as materialized (
      select m.id, m.user_id, m.parent_id, m.emojis, ${frameMask(set, "m.created_date")} as mask from messages m
      where not m.deleted and m.user_id is not null and m.created_date >= ${oldestStart(set)} ${userFilter("m.user_id", userIds)}
    ),
    votes as (
      select a.user_id, a.mask,
        coalesce(sum((a.emojis ->> '+1')::int), 0)::int as upvotes,
        coalesce(sum((a.emojis ->> '-1')::int), 0)::int as downvotes,
        coalesce(sum((a.emojis ->> 'red_flag')::int), 0)::int as red_flags,
        count(*) filter (where s.state = 'aborted_low_grade')::int as spam_prompts
      from authored a left join message_tree_states s on a.parent_id is null and s.message_tree_id = a.id
      group by a.user_id, a.mask
    ),
    labelled as (
      select a.user_id, a.mask, ${LABEL_PARTS}
      from authored a join text_labels l on l.message_id = a.id cross join lateral ${LABEL_RECORD}
      group by a.user_id, a.mask
    ),
    per_frame as (
      select v.user_id, frames.time_frame, frames.base_date,
        sum(v.upvotes)::int as upvotes, sum(v.downvotes)::int as downvotes, sum(v.red_flags)::int as red_flags,
        sum(v.spam_prompts)::int as spam_prompts,
        ${sql.raw(FLAG_LABELS.map((name) => `coalesce(sum(l.${name}), 0)::int as ${name}`).join(", "))},
        ${sql.raw(SCALE_LABELS.map((name) => `(sum(l.${name}_sum) / nullif(sum(l.${name}_n), 0))::real as ${name}`).join(", "))}
      from votes v left join labelled l on l.user_id = v.user_id and l.mask = v.mask
        join ${framesTable(set)} on v.mask & frames.bit <> 0
      group by v.user_id, frames.time_frame, frames.base_date
    ),
    fresh as (
      select p.*, 3 * p.red_flags - p.upvotes + p.downvotes + p.spam_prompts
          + ${sql.raw(FLAG_LABELS.filter((name) => name !== "spam").map((name) => `p.${name}`).join(" + "))} as troll_score
      from per_frame p
    ),
    ${trollStatsWrites(set, userIds)}
    select time_frame, count(*)::int as rows from fresh group by time_frame`);
  const rows = new Map(upserted.map((row) => [row.time_frame, Number(row.rows)]));
  return set.frames.map(({ timeFrame, baseDate }) => ({ timeFrame, rows: rows.get(timeFrame) ?? 0, baseDate }));
}


/**
 * The write half of a `troll_stats` refresh (`boardWrites`), after a CTE named `fresh` (one row per author and frame,
 * every column of the table but the dates; no stored rank: the trollboard ranks when read).
 */
export function trollStatsWrites(set: FrameSet, userIds: readonly string[] | null, { fresh = "fresh", suffix = "" }: WritesOptions = {}) {
  return boardWrites(set, userIds, { ...TROLL_STATS, fresh, suffix });
}

/** One time frame of `refreshTrollStatsFrames` (tests and the benchmark compare the rollup's boards with it). */
export async function refreshTrollStats(
  db: DbOrTx,
  timeFrame: TimeFrame,
  now: Date = new Date(),
  userIds: readonly string[] | null = null,
): Promise<RefreshResult> {
  const [result] = await refreshTrollStatsFrames(db, [timeFrame], now, userIds);
  return result!;
}
