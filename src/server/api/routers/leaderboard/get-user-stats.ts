import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { ZMyStats } from "@/server/domain/leaderboard/dto";
import { getMyStats } from "@/server/domain/leaderboard/my-stats";

/** Any user's stats, for moderators (website §5.8: "Mods and admins can view any user's stats"). */
export const getUserStatsRoute = moderatorProcedure
  .input(z.object({ userId: z.uuid() }))
  .output(ZMyStats)
  .query(({ ctx, input }) => getMyStats(ctx.db, input.userId));
