import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { users } from "@/server/db/schema";

/**
 * After each completed task (spec §4.2): the last activity is now, and the streak counts whole days since it
 * started (a missing or future start begins a new streak). The scheduled streak reset clears idle streaks.
 */
export async function recordContribution(tx: DbOrTx, userId: string): Promise<void> {
  await contributionUpdate(tx, userId);
}

/** `recordContribution`'s update, to run on its own or as part of another statement (`finishTask`). */
export function contributionUpdate(tx: DbOrTx, userId: string) {
  const fresh = sql`${users.streakLastDayDate} is null or ${users.streakLastDayDate} > now()`;
  return tx
    .update(users)
    .set({
      lastActivityDate: sql`now()`,
      streakDays: sql`case when ${fresh} then 0 else floor(extract(epoch from now() - ${users.streakLastDayDate}) / 86400)::int end`,
      streakLastDayDate: sql`case when ${fresh} then now() else ${users.streakLastDayDate} end`,
    })
    .where(eq(users.id, userId));
}
