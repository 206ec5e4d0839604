import { connectDatabase } from "@/server/db/client";
import { flushDirtyUsers } from "@/server/domain/leaderboard/flush-dirty-users";
const { db, close } = connectDatabase(process.env.DATABASE_URL!, { max: 2 }) as any;
const t = performance.now(); let n = 0, k;
while ((k = await flushDirtyUsers(db)) > 0) n += k;
console.log(`drained ${n} users in ${(performance.now() - t).toFixed(0)} ms`);
await close();
