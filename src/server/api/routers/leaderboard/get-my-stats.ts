import { authedProcedure } from "@/server/api/trpc";
import { ZMyStats } from "@/server/domain/leaderboard/dto";
import { getMyStats } from "@/server/domain/leaderboard/my-stats";

/** The signed-in user's score, rank and counters per time frame, with their level and XP to the next one. */
export const getMyStatsRoute = authedProcedure.output(ZMyStats).query(({ ctx }) => getMyStats(ctx.db, ctx.user.id));
