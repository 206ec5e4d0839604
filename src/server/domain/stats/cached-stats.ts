import { inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { cachedStats } from "@/server/db/schema";
import { LABEL_TASK_TYPES } from "@/server/domain/tasks/types";
import { treeStateCounts } from "./tree-manager";
import { CACHED_STAT_NAMES, type CachedStatName, type CachedStats, type CachedStatsValues, ZCachedStatsValues } from "./dto";

/** Days shown in the contributions chart. */
export const CONTRIBUTION_DAYS = 30;

const HUMAN_ACCEPTED = sql`not m.deleted and not m.synthetic and m.review_result is true`;
const LABEL_TYPES = sql.raw(LABEL_TASK_TYPES.map((type) => `'${type}'`).join(", "));

async function countsBy(db: DbOrTx, query: SQL): Promise<Record<string, number>> {
  const rows = await db.execute<{ key: string; count: number }>(query);
  return Object.fromEntries(rows.map((row) => [row.key, Number(row.count)]));
}

/** Each statistic is one aggregate query (OA `cached_stats_repository.py`). */
const compute: { [K in CachedStatName]: (db: DbOrTx) => Promise<CachedStatsValues[K]> } = {
  human_messages_by_lang: (db) =>
    countsBy(db, sql`select m.lang as key, count(*)::int as count from messages m where ${HUMAN_ACCEPTED} group by m.lang`),
  human_messages_by_role: (db) =>
    countsBy(db, sql`select m.role::text as key, count(*)::int as count from messages m where ${HUMAN_ACCEPTED} group by m.role`),
  message_trees_by_state: treeStateCounts,
  message_trees_states_by_lang: async (db) => {
    type Row = CachedStatsValues["message_trees_states_by_lang"][number];
    const rows = await db.execute<Row>(sql`
      select m.lang, s.state::text as state, count(*)::int as count
      from message_tree_states s join messages m on m.id = s.message_tree_id
      group by m.lang, s.state order by m.lang, s.state`);
    return rows.map((row) => ({ lang: row.lang, state: row.state, count: Number(row.count) }));
  },
  users_accepted_tos: async (db) => {
    const [row] = await db.execute<{ count: number }>(sql`select count(*)::int as count from users where enabled and tos_acceptance_date is not null`);
    return { count: Number(row?.count ?? 0) };
  },
  contributions_by_day: async (db) => {
    type Row = CachedStatsValues["contributions_by_day"][number];
    const rows = await db.execute<Row>(sql`
      with days as (
        select (current_date - offs)::date as day from generate_series(0, ${CONTRIBUTION_DAYS - 1}::int) as offs
      ),
      msgs as (
        select created_date::date as day, count(*) filter (where parent_id is null)::int as prompts,
          count(*) filter (where parent_id is not null)::int as replies
        from messages where not deleted and not synthetic and user_id is not null
          and created_date >= current_date - ${CONTRIBUTION_DAYS - 1}::int
        group by 1
      ),
      labels as (
        select created_date::date as day, count(*)::int as labels from tasks
        where done and type in (${LABEL_TYPES}) and created_date >= current_date - ${CONTRIBUTION_DAYS - 1}::int group by 1
      ),
      rankings as (
        select created_date::date as day, count(*)::int as rankings from message_reactions
        where created_date >= current_date - ${CONTRIBUTION_DAYS - 1}::int group by 1
      )
      select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(m.prompts, 0) as prompts, coalesce(m.replies, 0) as replies,
        coalesce(l.labels, 0) as labels, coalesce(r.rankings, 0) as rankings
      from days d left join msgs m using (day) left join labels l using (day) left join rankings r using (day)
      order by d.day`);
    return rows.map((row) => ({
      day: row.day, prompts: Number(row.prompts), replies: Number(row.replies), labels: Number(row.labels), rankings: Number(row.rankings),
    }));
  },
};

/**
 * Recomputes every cached statistic and upserts it by name (spec §4.6; hourly, and on demand for moderators).
 * Days are UTC days: the app's connections run with TimeZone=UTC.
 */
export async function refreshCachedStats(db: DbOrTx): Promise<CachedStatName[]> {
  for (const name of CACHED_STAT_NAMES) {
    const stats = await compute[name](db);
    await db
      .insert(cachedStats)
      .values({ name, stats, modifiedDate: sql`now()` })
      .onConflictDoUpdate({ target: cachedStats.name, set: { stats, modifiedDate: sql`now()` } });
  }
  return CACHED_STAT_NAMES;
}

export type CachedStat = { [K in CachedStatName]: { name: K; lastUpdated: Date; stats: CachedStatsValues[K] } }[CachedStatName];

/** Each cached statistic with its own refresh time; names not computed yet (or stored in an older shape) are left out. */
export async function listCachedStats(db: DbOrTx, names: readonly CachedStatName[] = CACHED_STAT_NAMES): Promise<CachedStat[]> {
  if (names.length === 0) return [];
  const rows = await db.select().from(cachedStats).where(inArray(cachedStats.name, [...names]));
  return rows.flatMap((row) => {
    const parsed = ZCachedStatsValues.shape[row.name as CachedStatName].safeParse(row.stats);
    return parsed.success ? [{ name: row.name, lastUpdated: row.modifiedDate, stats: parsed.data } as CachedStat] : [];
  });
}

/** All cached statistics; `lastUpdated` is the oldest refresh among them. */
export async function getCachedStats(db: DbOrTx): Promise<CachedStats> {
  const stats: CachedStats["stats"] = {};
  let lastUpdated: Date | null = null;
  for (const stat of await listCachedStats(db)) {
    Object.assign(stats, { [stat.name]: stat.stats });
    if (!lastUpdated || stat.lastUpdated < lastUpdated) lastUpdated = stat.lastUpdated;
  }
  return { lastUpdated, stats };
}
