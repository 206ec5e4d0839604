import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";

/**
 * Recomputes the hand-out's work rows (`task_work`) from the messages and tree states: rows of gone or inactive
 * trees are dropped and every active tree is recomputed with the same rules the triggers apply. The migration
 * backfills with it; it is also the repair tool should the rows ever disagree with the trees (e.g. after a restore
 * that bypassed triggers). Returns the number of work rows afterwards. Its cost grows with the active trees only.
 */
export async function rebuildTaskWork(db: DbOrTx): Promise<number> {
  await db.execute(sql`select oa_task_work_rebuild()`);
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from task_work`);
  return Number(row?.n ?? 0);
}
