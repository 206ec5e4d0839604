import { count, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { leaderboardDirtyUsers } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { flushDirtyUsers } from "./flush-dirty-users";

const t = setupTestDatabase();
/** The embedded server runs one transaction at a time, so reads there never flush side by side. */
const onPostgres = Boolean(process.env.DATABASE_URL);

const pendingMarks = async () => (await t.db.select({ n: count() }).from(leaderboardDirtyUsers))[0]!.n;

describe("a read's flush of the leaderboard marks", () => {
  it.runIf(onPostgres)("runs one at a time: a read that finds another flushing answers at once and leaves the rest to later reads", async () => {
    // A busy minute: many users marked (users without contributions: the flush has little to write for them).
    await t.db.execute(sql`insert into leaderboard_dirty_users (user_id) select gen_random_uuid() from generate_series(1, 1200)`);
    let secondRead: number | null = null;
    await t.db.transaction(async (tx) => {
      // The first read's flush is in progress (not committed) when a second read comes in on another connection.
      expect(await flushDirtyUsers(tx)).toBeGreaterThan(0);
      secondRead = await flushDirtyUsers(t.db);
    });
    // Twenty readers each claiming their own batch kept both cores busy for seconds (the load benchmark at 1M).
    expect(secondRead).toBe(0);
    expect(await pendingMarks()).toBeGreaterThan(0);
    // The next reads drain the rest, a bounded batch each.
    let reads = 0;
    while ((await flushDirtyUsers(t.db)) > 0) reads++;
    expect(await pendingMarks()).toBe(0);
    expect(reads).toBeGreaterThan(1);
  });
});
