import { z } from "zod";
import { authedProcedure } from "@/server/api/trpc";
import { ZLeaderboard, ZTimeFrame } from "@/server/domain/leaderboard/dto";
import { getLeaderboard } from "@/server/domain/leaderboard/read-leaderboard";

export const ZListLeaderboardRequest = z.object({
  timeFrame: ZTimeFrame.default("day"),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
  /** Rows around the viewer's own rank (the website showed ±1 around it with 3). */
  windowSize: z.number().int().min(1).max(21).default(3),
});

/** A page of the leaderboard of a time frame, with the viewer's own position (spec §4.3, website /leaderboard). */
export const listLeaderboardRoute = authedProcedure
  .input(ZListLeaderboardRequest)
  .output(ZLeaderboard)
  .query(({ ctx, input }) => getLeaderboard(ctx.db, { ...input, viewerId: ctx.user.id }));
