import { and, isNotNull, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { users } from "@/server/db/schema";

/** A streak survives a day off plus some slack for time zones (OA `periodic_user_streak_reset`: 36 h). */
export const STREAK_IDLE_HOURS = 36;

/**
 * Ends the streaks of users idle for more than 36 hours (spec §4.2; every 4 h in OA): days back to 0 and no
 * start date, so their next contribution starts a new streak (`recordContribution`). Returns how many ended.
 */
export async function resetIdleStreaks(db: DbOrTx): Promise<number> {
  const reset = await db
    .update(users)
    .set({ streakDays: 0, streakLastDayDate: null })
    .where(and(isNotNull(users.streakLastDayDate), lt(users.lastActivityDate, sql`now() - make_interval(hours => ${STREAK_IDLE_HOURS})`)))
    .returning({ id: users.id });
  return reset.length;
}
