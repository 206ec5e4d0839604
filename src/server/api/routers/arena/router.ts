import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "@/server/api/trpc";
import { getArenaLeaderboard } from "@/server/domain/quality/arena-compute";

export const ZArenaLeaderboard = z.object({
  computedAt: z.date().nullable(),
  comparisons: z.number().int(),
  comparisonsUsed: z.number().int(),
  votersKept: z.number().int(),
  votersDropped: z.number().int(),
  entries: z.array(
    z.object({ rank: z.number().int(), model: z.string(), strength: z.number(), lower: z.number(), upper: z.number(), comparisons: z.number().int() }),
  ),
});

/** The public model leaderboard (issue 14 item 5): aggregates over models only, no user data. */
export const arenaRouter = createTRPCRouter({
  leaderboard: publicProcedure.output(ZArenaLeaderboard).query(({ ctx }) => getArenaLeaderboard(ctx.db)),
});
