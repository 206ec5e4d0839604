import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { type RefreshResult, userFilter } from "./refresh-user-stats";
import { type TimeFrame, timeFrameStart } from "./time-frames";

/** Flag labels summed per author; OA adds all but `spam` into the troll score (`models/troll_stats.py`). */
const FLAG_LABELS = ["spam", "lang_mismatch", "not_appropriate", "pii", "hate_speech", "sexual_content", "political_content"] as const;
/** Scale labels averaged per author. */
const SCALE_LABELS = ["quality", "humor", "toxicity", "violence", "helpfulness"] as const;

const FLAG_COUNTS = sql.raw(
  FLAG_LABELS.map((name) => `count(*) filter (where (l.labels ->> '${name}')::float8 >= 0.5)::int as ${name}`).join(", "),
);
const SCALE_AVERAGES = sql.raw(SCALE_LABELS.map((name) => `avg((l.labels ->> '${name}')::float8) as ${name}`).join(", "));
const LABEL_COLUMNS = [...FLAG_LABELS, ...SCALE_LABELS];

/**
 * Recomputes one time frame of `troll_stats` (spec §4.4) in one set-based statement, over the authors of live
 * messages created in the frame: emoji votes and red flags on their messages, their prompts in trees aborted as
 * low grade, and the labels others gave their messages. Fixes §8.9: labels on messages without emojis count too,
 * and a flag counts when its value is ≥ 0.5 rather than casting floats to integers. The score keeps OA's formula:
 * 3·red flags − upvotes + downvotes + spam prompts + the flag counts except `spam`. Everyone is ranked.
 */
export async function refreshTrollStats(
  db: DbOrTx,
  timeFrame: TimeFrame,
  now: Date = new Date(),
  userIds: readonly string[] | null = null,
): Promise<RefreshResult> {
  const baseDate = timeFrameStart(timeFrame, now);
  const since = sql`coalesce(${baseDate?.toISOString() ?? null}::timestamptz, '-infinity')`;
  const upserted = await db.execute(sql`
    with authored as (
      select m.id, m.user_id, m.parent_id, m.emojis from messages m
      where not m.deleted and m.user_id is not null and m.created_date >= ${since} ${userFilter("m.user_id", userIds)}
    ),
    votes as (
      select a.user_id,
        coalesce(sum((a.emojis ->> '+1')::int), 0)::int as upvotes,
        coalesce(sum((a.emojis ->> '-1')::int), 0)::int as downvotes,
        coalesce(sum((a.emojis ->> 'red_flag')::int), 0)::int as red_flags,
        count(*) filter (where s.state = 'aborted_low_grade')::int as spam_prompts
      from authored a left join message_tree_states s on a.parent_id is null and s.message_tree_id = a.id
      group by a.user_id
    ),
    labelled as (
      select a.user_id, ${FLAG_COUNTS}, ${SCALE_AVERAGES}
      from authored a join text_labels l on l.message_id = a.id
      group by a.user_id
    ),
    fresh as (
      select v.*, ${sql.raw(FLAG_LABELS.map((name) => `coalesce(l.${name}, 0) as ${name}`).join(", "))},
        ${sql.raw(SCALE_LABELS.map((name) => `l.${name}`).join(", "))},
        3 * v.red_flags - v.upvotes + v.downvotes + v.spam_prompts
          + ${sql.raw(FLAG_LABELS.filter((name) => name !== "spam").map((name) => `coalesce(l.${name}, 0)`).join(" + "))} as troll_score
      from votes v left join labelled l on l.user_id = v.user_id
    ),
    stale as (
      delete from troll_stats t where t.time_frame = ${timeFrame}
        and not exists (select 1 from fresh f where f.user_id = t.user_id) ${userFilter("t.user_id", userIds)}
    )
    insert into troll_stats (user_id, time_frame, base_date, modified_date, troll_score, rank, red_flags, upvotes, downvotes,
      spam_prompts, ${sql.raw(LABEL_COLUMNS.join(", "))})
    select user_id, ${timeFrame}, ${baseDate?.toISOString() ?? null}::timestamptz, now(), troll_score,
      ${userIds === null ? sql`row_number() over (order by troll_score desc, user_id)` : sql`null::int`}, red_flags, upvotes, downvotes, spam_prompts,
      ${sql.raw(LABEL_COLUMNS.join(", "))}
    from fresh
    on conflict (time_frame, user_id) do update set base_date = excluded.base_date, modified_date = excluded.modified_date,
      troll_score = excluded.troll_score, ${userIds === null ? sql`rank = excluded.rank,` : sql``} red_flags = excluded.red_flags, upvotes = excluded.upvotes,
      downvotes = excluded.downvotes, spam_prompts = excluded.spam_prompts,
      ${sql.raw(LABEL_COLUMNS.map((name) => `${name} = excluded.${name}`).join(", "))}
    returning user_id`);
  return { timeFrame, rows: upserted.length, baseDate };
}
