import { sql } from "drizzle-orm";
import type { Database, Transaction } from "@/server/db/client";

/**
 * Refreshes aggregate whole tables at once; with PostgreSQL's default 4 MB of work memory their hash aggregates
 * and sorts spill to disk and the planner prefers slow index scans (the 100k-user benchmark ran in half the time
 * with 64 MB). `SET LOCAL` gives it to the job's transaction only.
 */
export const JOB_WORK_MEM = "64MB";

export type LockedRun<T> = { ran: true; result: T } | { ran: false; reason: string };

/**
 * Runs `work` in a transaction that holds a Postgres advisory lock named after the job, or skips it when another
 * run (in this process, another process, or an Inngest worker) holds the lock: two runs of the same cron never
 * interleave, whichever way they were started. The lock ends with the transaction, so a crash cannot leave it held.
 */
export async function withJobLock<T>(
  db: Database,
  name: string | readonly string[],
  work: (tx: Transaction) => Promise<T>,
): Promise<LockedRun<T>> {
  // Several names (a run that does the work of several jobs): all of them, or none and skip.
  const names = typeof name === "string" ? [name] : name;
  return db.transaction(async (tx) => {
    for (const one of names) {
      const [row] = await tx.execute<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(hashtext(${`oa-job:${one}`})) as locked`);
      if (!row?.locked) return { ran: false, reason: `another run of ${one} is in progress` };
    }
    await tx.execute(sql.raw(`set local work_mem = '${JOB_WORK_MEM}'`));
    return { ran: true, result: await work(tx) };
  });
}
