import { publicProcedure } from "@/server/api/trpc";
import { getCachedStats } from "@/server/domain/stats/cached-stats";
import { ZCachedStats } from "@/server/domain/stats/dto";

/** The cached statistics (spec §4.6, OA `GET /stats/cached`): public aggregates, no user data. */
export const getCachedStatsRoute = publicProcedure.output(ZCachedStats).query(({ ctx }) => getCachedStats(ctx.db));
