import { and, eq, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { tasks } from "@/server/db/schema";

/**
 * Deletes tasks that expired unanswered (spec §2.5; the hourly job). Answering one was already refused by the
 * expiry check, so this only reclaims space. Returns how many were deleted.
 */
export async function deleteExpiredTasks(db: DbOrTx): Promise<number> {
  const deleted = await db
    .delete(tasks)
    .where(and(lt(tasks.expiryDate, sql`now()`), eq(tasks.done, false)))
    .returning({ id: tasks.id });
  return deleted.length;
}
