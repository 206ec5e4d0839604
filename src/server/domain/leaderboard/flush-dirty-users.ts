import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { postgresErrorOf } from "@/server/db/errors";
import { uuidArray } from "@/server/domain/messages/queries";
import { boardsAsOf } from "./rebuild-boards";
import { refreshBoardsFromRollup } from "./boards-from-rollup";
import { lockUsers, refreshRollup, tryReadFlush, tryRollupShared } from "./rollup";
import { TIME_FRAMES } from "./time-frames";

/**
 * Marks recomputed per transaction (about 3 ms a user at 1M messages, plus ~70 ms for the board statements).
 * Small, because a read pays for it: a backlog (a bulk import marks every known author, a busy minute marks thousands)
 * drains over the next reads at a bounded delay each, instead of stalling one. 500 users took 1.5 s.
 */
const FLUSH_BATCH = 100;
/** Batches per call: one, for the same reason. */
const MAX_BATCHES_PER_CALL = 1;

/** A flush that lost a lock race leaves its rows for the next one rather than failing the read that ran it. */
const RETRYABLE = new Set(["40P01", "40001", "55P03"]);

/**
 * Brings the leaderboard and trollboard rows of every user marked by the triggers (migrations
 * `firstrun_leaderboard_triggers`, `leaderboard_rollup_triggers`) up to date, so a contribution shows on every board,
 * the dashboard and the user menu as soon as anyone reads them: the users' rollup rows are rewritten from their
 * contributions (`refreshRollup`), then their board rows from the rollup with the full rebuild's statement restricted
 * to them (`refreshBoardsFromRollup`). One flush runs at a time (`tryReadFlush`; a read that finds one running answers
 * at once); a claimed row is deleted only if its recompute commits; while a rebuild holds the rollup lock, flushes
 * leave their marks for later. Correctness does not rest on the single flight: claims still skip locked rows and users
 * are rewritten under per-user locks in key order (`lockUsers`). Returns the number of users recomputed.
 */
export async function flushDirtyUsers(db: DbOrTx, now: Date = new Date()): Promise<number> {
  let flushed = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_CALL; batch++) {
    // Most reads find nothing to do: answer that without opening a write transaction.
    const [pending] = await db.execute<{ any: boolean }>(sql`select exists (select 1 from leaderboard_dirty_users) as any`);
    if (!pending?.any) break;
    let users: number;
    try {
      users = await db.transaction(async (tx) => {
        // One read flushes at a time (over all processes); the others answer from the rows as they are, a moment
        // behind. Twenty readers each claiming their own batch kept both cores busy and every read waiting seconds
        // after a busy minute of contributions (bench/results/load-pg-1m-quiet-wave5.md).
        if (!(await tryReadFlush(tx))) return -1;
        // A rebuild from the rollup is running (or waiting): leave the marks to the next read, so it never writes
        // figures older than these.
        if (!(await tryRollupShared(tx))) return -1;
        const claimed = await tx.execute<{ user_id: string }>(sql`
          delete from leaderboard_dirty_users where id in (
            select id from leaderboard_dirty_users order by id limit ${FLUSH_BATCH} for update skip locked)
          returning user_id`);
        const ids = [...new Set(claimed.map((row) => row.user_id))].sort();
        if (ids.length === 0) return 0;
        // Later marks of the same users are covered by this recompute too (a user marked by many statements).
        await tx.execute(sql`
          delete from leaderboard_dirty_users where id in (
            select id from leaderboard_dirty_users where user_id = any(${uuidArray(ids)}) for update skip locked)`);
        // The users' rollup rows from their contributions, then every frame of both boards from those rows, for the
        // windows of no earlier an instant than the boards' last advance (one that ran since `now` was taken).
        const asOf = await boardsAsOf(tx);
        const at = asOf !== null && asOf > now ? asOf : now;
        await lockUsers(tx, ids);
        await refreshRollup(tx, ids, at);
        await refreshBoardsFromRollup(tx, TIME_FRAMES, at, ids);
        return ids.length;
      });
    } catch (error) {
      if (RETRYABLE.has(postgresErrorOf(error)?.code ?? "")) break;
      throw error;
    }
    if (users <= 0) break; // everything pending is being flushed by someone else right now, or a rebuild runs
    flushed += users;
  }
  return flushed;
}
