import { and, asc, desc, eq, gt, lt, ne, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { users, userStats } from "@/server/db/schema";
import { type Leaderboard, type LeaderboardEntry, publicDisplayName, toCounters } from "./dto";
import { flushDirtyUsers } from "./flush-dirty-users";
import { TIME_FRAMES, type TimeFrame } from "./time-frames";

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
 * The same rule negated, word for word the predicate of the partial index `users_unranked_idx` (schema/auth.ts), so
 * the few unranked users are found through it. Counts are taken over all of a frame's rows (the rows ahead of a
 * viewer: an index range scan of `user_stats_board_order_idx`; the whole frame: `leaderboard_frame_counts`) minus the
 * unranked users' rows: no join with every user on a read.
 */
const UNRANKED_USER = sql`not (u.show_on_leaderboard and u.enabled and not u.deleted and u.role <> 'banned')`;

/** Board rows with what an entry shows of their user; callers add the frame, the visibility rule and the order. */
const entryRows = (db: DbOrTx) =>
  db.select({ stats: userStats, name: users.name, image: users.image }).from(userStats).innerJoin(users, eq(users.id, userStats.userId));

/** `limit` ranked rows of a frame in board order, the first of them at `firstRank`. */
async function selectEntries(db: DbOrTx, timeFrame: TimeFrame, firstRank: number, limit: number): Promise<LeaderboardEntry[]> {
  const rows = await entryRows(db)
    .where(visibleIn(timeFrame))
    .orderBy(desc(userStats.leaderScore), asc(userStats.userId))
    .limit(limit)
    .offset(firstRank - 1);
  return rows.map((row, index) => toEntry(row, firstRank + index));
}

type EntryRow = { stats: typeof userStats.$inferSelect; name: string | null; image: string | null };

function toEntry({ stats, name, image }: EntryRow, rank: number): LeaderboardEntry {
  return { ...toCounters(stats), rank, userId: stats.userId, displayName: publicDisplayName({ id: stats.userId, name }), image };
}

/**
 * Ranked rows in a frame: all its rows (`leaderboard_frame_counts`, kept by triggers: counting them cost a parallel
 * scan of every frame's rows on each read) minus the unranked users' (a few, through `users_unranked_idx`).
 */
async function countRanked(db: DbOrTx, timeFrame: TimeFrame): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    select coalesce((select rows from leaderboard_frame_counts where time_frame = ${timeFrame}), 0)
      - (select count(*) from users u join user_stats s on s.user_id = u.id and s.time_frame = ${timeFrame} where ${UNRANKED_USER}) as n`);
  return Number(row?.n ?? 0);
}

/**
 * A ranked user's place: their board row and their rank. Ranks are positions in (score desc, user id) among visible users,
 * computed when read (the ranked rows ahead: a higher score, or the same and a lower id), so a contribution moves its
 * author at once and everyone else's rank with it, with no stored rank to go stale.
 */
type Place = { rank: number; row: EntryRow };

async function placeOf(db: DbOrTx, timeFrame: TimeFrame, userId: string): Promise<Place | null> {
  const [row] = await entryRows(db).where(and(visibleIn(timeFrame), eq(userStats.userId, userId)));
  if (!row) return null;
  const score = row.stats.leaderScore;
  const [ahead] = await db.execute<{ n: number }>(sql`
    select (select count(*) from user_stats s where s.time_frame = ${timeFrame} and s.leader_score > ${score})
      + (select count(*) from user_stats s where s.time_frame = ${timeFrame} and s.leader_score = ${score} and s.user_id < ${userId})
      - (select count(*) from users u join user_stats s on s.user_id = u.id and s.time_frame = ${timeFrame}
          where ${UNRANKED_USER} and (s.leader_score > ${score} or (s.leader_score = ${score} and s.user_id < ${userId}))) as n`);
  return { rank: Number(ahead?.n ?? 0) + 1, row };
}

/** The viewer's rank in a frame, or null when they have no row or are not visible. */
export async function rankOf(db: DbOrTx, timeFrame: TimeFrame, userId: string): Promise<number | null> {
  return (await placeOf(db, timeFrame, userId))?.rank ?? null;
}

/** A user's rank in every time frame, in `TIME_FRAMES` order (null where they have none). */
export function ranksOf(db: DbOrTx, userId: string): Promise<(number | null)[]> {
  return Promise.all(TIME_FRAMES.map((timeFrame) => rankOf(db, timeFrame, userId)));
}

/**
 * `before` ranked rows just ahead of a place and `after` just behind it, the place's own row between, in board order.
 * Walked from the place outwards along the board's index, so it costs the same at rank 5 as at rank 50,000 (an
 * OFFSET there read and sorted every row above).
 */
async function entriesAround(db: DbOrTx, timeFrame: TimeFrame, place: Place, before: number, after: number): Promise<LeaderboardEntry[]> {
  const { leaderScore: score, userId } = place.row.stats;
  const [tiesAhead, higher, tiesBehind, lower] = await Promise.all([
    entryRows(db).where(and(visibleIn(timeFrame), eq(userStats.leaderScore, score), lt(userStats.userId, userId))).orderBy(desc(userStats.userId)).limit(before),
    entryRows(db).where(and(visibleIn(timeFrame), gt(userStats.leaderScore, score))).orderBy(asc(userStats.leaderScore), desc(userStats.userId)).limit(before),
    entryRows(db).where(and(visibleIn(timeFrame), eq(userStats.leaderScore, score), gt(userStats.userId, userId))).orderBy(asc(userStats.userId)).limit(after),
    entryRows(db).where(and(visibleIn(timeFrame), lt(userStats.leaderScore, score))).orderBy(desc(userStats.leaderScore), asc(userStats.userId)).limit(after),
  ]);
  // Nearest first on each side, then into board order.
  const ahead = [...tiesAhead, ...higher].slice(0, before).reverse();
  const behind = [...tiesBehind, ...lower].slice(0, after);
  const firstRank = place.rank - ahead.length;
  return [...ahead, place.row, ...behind].map((row, index) => toEntry(row, firstRank + index));
}

/**
 * One page of a leaderboard and the viewer's own position with `windowSize` rows around it (fix §8.9: OA returned
 * windowSize + 1 rows). Pending contributions are folded in first (`flushDirtyUsers`; while another read is folding
 * them in, this one answers at once, a moment behind it); `lastUpdated` is the time of the read.
 */
export async function getLeaderboard(db: DbOrTx, query: LeaderboardQuery): Promise<Leaderboard> {
  const asOf = new Date();
  await flushDirtyUsers(db, asOf);
  const [entries, totalRanked, place] = await Promise.all([
    selectEntries(db, query.timeFrame, (query.page - 1) * query.pageSize + 1, query.pageSize),
    countRanked(db, query.timeFrame),
    query.viewerId ? placeOf(db, query.timeFrame, query.viewerId) : Promise.resolve(null),
  ]);
  let viewer: Leaderboard["viewer"] = null;
  if (place) {
    // `windowSize` rows starting half a window above the viewer (fewer above near the top), as before.
    const before = Math.min(place.rank - 1, Math.floor(query.windowSize / 2));
    viewer = { rank: place.rank, window: await entriesAround(db, query.timeFrame, place, before, query.windowSize - before - 1) };
  }
  return {
    timeFrame: query.timeFrame,
    lastUpdated: asOf,
    page: query.page,
    pageSize: query.pageSize,
    totalRanked,
    entries,
    viewer,
  };
}
