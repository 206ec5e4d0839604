import { and, asc, count, desc, eq, gt, lt, ne, or, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { users, userStats } from "@/server/db/schema";
import { type Leaderboard, type LeaderboardEntry, publicDisplayName, toCounters } from "./dto";
import { flushDirtyUsers } from "./flush-dirty-users";
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

/** Users hidden, disabled, banned or deleted are not ranked (OA filtered at read time as well). */
const visibleUser = and(eq(users.showOnLeaderboard, true), eq(users.enabled, true), eq(users.deleted, false), ne(users.role, "banned"))!;
const visibleIn = (timeFrame: TimeFrame): SQL => and(eq(userStats.timeFrame, timeFrame), visibleUser)!;

/**
 * Ranks are positions in (score desc, user id) among visible users, computed when read: a contribution moves its
 * author at once and everyone else's rank with it, with no stored rank to go stale.
 */
async function selectEntries(db: DbOrTx, timeFrame: TimeFrame, firstRank: number, limit: number): Promise<LeaderboardEntry[]> {
  const rows = await db
    .select({ stats: userStats, name: users.name, image: users.image })
    .from(userStats)
    .innerJoin(users, eq(users.id, userStats.userId))
    .where(visibleIn(timeFrame))
    .orderBy(desc(userStats.leaderScore), asc(userStats.userId))
    .limit(limit)
    .offset(firstRank - 1);
  return rows.map(({ stats, name, image }, index) => ({
    ...toCounters(stats),
    rank: firstRank + index,
    userId: stats.userId,
    displayName: publicDisplayName({ id: stats.userId, name }),
    image,
  }));
}

/** The viewer's rank in a frame, or null when they have no row or are not visible. */
export async function rankOf(db: DbOrTx, timeFrame: TimeFrame, userId: string): Promise<number | null> {
  const [mine] = await db
    .select({ score: userStats.leaderScore })
    .from(userStats)
    .innerJoin(users, eq(users.id, userStats.userId))
    .where(and(visibleIn(timeFrame), eq(userStats.userId, userId)));
  if (!mine) return null;
  const [ahead] = await db
    .select({ n: count() })
    .from(userStats)
    .innerJoin(users, eq(users.id, userStats.userId))
    .where(and(visibleIn(timeFrame), or(gt(userStats.leaderScore, mine.score),
      and(eq(userStats.leaderScore, mine.score), lt(userStats.userId, userId)))));
  return (ahead?.n ?? 0) + 1;
}

/**
 * One page of a leaderboard and the viewer's own position with `windowSize` rows around it (fix §8.9: OA returned
 * windowSize + 1 rows). Pending contributions are folded in first (`flushDirtyUsers`), so the board, the dashboard
 * and the user menu show the same figures at every moment; `lastUpdated` is the time they are current as of.
 */
export async function getLeaderboard(db: DbOrTx, query: LeaderboardQuery): Promise<Leaderboard> {
  const asOf = new Date();
  await flushDirtyUsers(db, asOf);
  const [entries, [summary], viewerRank] = await Promise.all([
    selectEntries(db, query.timeFrame, (query.page - 1) * query.pageSize + 1, query.pageSize),
    db.select({ total: count() }).from(userStats).innerJoin(users, eq(users.id, userStats.userId)).where(visibleIn(query.timeFrame)),
    query.viewerId ? rankOf(db, query.timeFrame, query.viewerId) : Promise.resolve(null),
  ]);
  let viewer: Leaderboard["viewer"] = null;
  if (viewerRank) {
    const first = Math.max(1, viewerRank - Math.floor(query.windowSize / 2));
    viewer = { rank: viewerRank, window: await selectEntries(db, query.timeFrame, first, query.windowSize) };
  }
  return {
    timeFrame: query.timeFrame,
    lastUpdated: asOf,
    page: query.page,
    pageSize: query.pageSize,
    totalRanked: summary?.total ?? 0,
    entries,
    viewer,
  };
}
