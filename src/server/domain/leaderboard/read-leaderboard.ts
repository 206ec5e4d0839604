import { and, asc, between, eq, isNotNull, ne, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { users, userStats } from "@/server/db/schema";
import { type Leaderboard, type LeaderboardEntry, publicDisplayName, toCounters } from "./dto";
import type { TimeFrame } from "./time-frames";

export type LeaderboardQuery = {
  timeFrame: TimeFrame;
  /** 1-based. */
  page: number;
  pageSize: number;
  viewerId: string | null;
  /** Rows shown around the viewer's own rank (the website used 3). */
  windowSize: number;
};

/**
 * Ranks are written by the refresh; users hidden, disabled or banned since then are filtered here too, so they
 * disappear at once (OA filtered at read time as well).
 */
const visibleIn = (timeFrame: TimeFrame): SQL =>
  and(eq(userStats.timeFrame, timeFrame), isNotNull(userStats.rank), eq(users.showOnLeaderboard, true),
    eq(users.enabled, true), eq(users.deleted, false), ne(users.role, "banned"))!;

async function selectEntries(db: DbOrTx, where: SQL, limit: number): Promise<LeaderboardEntry[]> {
  const rows = await db
    .select({ stats: userStats, name: users.name, image: users.image })
    .from(userStats)
    .innerJoin(users, eq(users.id, userStats.userId))
    .where(where)
    .orderBy(asc(userStats.rank))
    .limit(limit);
  return rows.map(({ stats, name, image }) => ({
    ...toCounters(stats),
    rank: stats.rank!,
    userId: stats.userId,
    displayName: publicDisplayName({ id: stats.userId, name }),
    image,
  }));
}

/** Rows ranked `first`…`first + size − 1`: an index range scan, as cheap for page 2000 as for page 1. */
const ranksFrom = (timeFrame: TimeFrame, first: number, size: number) => and(visibleIn(timeFrame), between(userStats.rank, first, first + size - 1))!;

/**
 * One page of a leaderboard, its last refresh time, and the viewer's own position with `windowSize` rows around
 * it (fix §8.9: OA returned windowSize + 1 rows). Ranks are contiguous when written, so a page is a rank range and
 * the number of ranked users is the highest rank; someone hidden since the last refresh leaves a gap until the next.
 */
export async function getLeaderboard(db: DbOrTx, query: LeaderboardQuery): Promise<Leaderboard> {
  const [entries, [summary], [mine]] = await Promise.all([
    selectEntries(db, ranksFrom(query.timeFrame, (query.page - 1) * query.pageSize + 1, query.pageSize), query.pageSize),
    // Every row of a frame is written by the same refresh statement, so any row carries the refresh time.
    db.execute<{ total: number | null; last_updated: string | null }>(sql`
      select (select max(rank) from user_stats where time_frame = ${query.timeFrame}) as total,
        (select modified_date from user_stats where time_frame = ${query.timeFrame} limit 1) as last_updated`),
    query.viewerId
      ? db.select({ rank: userStats.rank }).from(userStats).innerJoin(users, eq(users.id, userStats.userId))
          .where(and(visibleIn(query.timeFrame), eq(userStats.userId, query.viewerId)))
      : Promise.resolve([]),
  ]);
  let viewer: Leaderboard["viewer"] = null;
  if (mine?.rank) {
    const first = Math.max(1, mine.rank - Math.floor(query.windowSize / 2));
    viewer = { rank: mine.rank, window: await selectEntries(db, ranksFrom(query.timeFrame, first, query.windowSize), query.windowSize) };
  }
  return {
    timeFrame: query.timeFrame,
    lastUpdated: summary?.last_updated ? new Date(summary.last_updated) : null,
    page: query.page,
    pageSize: query.pageSize,
    totalRanked: Number(summary?.total ?? 0),
    entries,
    viewer,
  };
}
