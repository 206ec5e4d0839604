import { moderatorProcedure } from "@/server/api/trpc";
import { getCachedStats } from "@/server/domain/stats/cached-stats";
import { ZCachedStats } from "@/server/domain/stats/dto";
import { runJobNow } from "@/server/inngest";

/** Recomputes the cached statistics now (OA's trusted `POST /stats/cached/update`) and returns them. */
export const refreshCachedStatsRoute = moderatorProcedure.output(ZCachedStats).mutation(async ({ ctx }) => {
  await runJobNow("refresh-cached-stats", ctx.db);
  return getCachedStats(ctx.db);
});
