import { sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { trollStats, userStats } from "@/server/db/schema";
import { refreshTrollStatsFrames } from "./refresh-troll-stats";
import { refreshUserStatsFrames } from "./refresh-user-stats";
import { TIME_FRAMES } from "./time-frames";

/** Test support: both boards as comparable snapshots, and the from-source reference they must equal. */

type Row = { userId: string; timeFrame: string; modifiedDate: Date; baseDate: Date | null };

/** Rows keyed by user and frame, without the write time and frame start. */
function snapshot<T extends Row>(rows: T[]) {
  return Object.fromEntries(rows.map(({ modifiedDate: _modified, baseDate: _base, ...rest }) => [`${rest.userId}:${rest.timeFrame}`, rest]));
}

/** Every row of both boards, keyed by user and frame. */
export const boardRows = async (db: Database) => ({
  users: snapshot(await db.select().from(userStats)),
  trolls: snapshot(await db.select().from(trollStats)),
});

/** The reference: both boards recomputed from the contributions by the from-source statements, at `now` (replaces them). */
export async function boardsFromSource(db: Database, now: Date) {
  await db.execute(sql`delete from user_stats`);
  await db.execute(sql`delete from troll_stats`);
  await refreshUserStatsFrames(db, TIME_FRAMES, now);
  await refreshTrollStatsFrames(db, TIME_FRAMES, now);
  return boardRows(db);
}
