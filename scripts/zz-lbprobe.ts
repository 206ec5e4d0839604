import { sql } from "drizzle-orm";
import { connectDatabase } from "@/server/db/client";
import { getLeaderboard, rankOf } from "@/server/domain/leaderboard/read-leaderboard";
const { db, close } = connectDatabase(process.env.DATABASE_URL!, { max: 4 }) as any;
const [pending] = await db.execute(sql`select count(*)::int n from leaderboard_dirty_users`);
console.log("pending marks", pending);
const viewers = await db.execute(sql`select user_id from user_stats where time_frame='day' order by random() limit 3`);
for (const v of viewers) {
  let t = performance.now();
  await rankOf(db, "day", v.user_id);
  console.log(`rankOf ${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  await getLeaderboard(db, { timeFrame: "day", page: 1, pageSize: 20, viewerId: v.user_id, windowSize: 3 });
  console.log(`getLeaderboard with viewer ${(performance.now() - t).toFixed(0)} ms`);
}
const [c] = await db.execute(sql`select count(*)::int n from user_stats where time_frame='day'`);
console.log("day rows", c);
await close();
