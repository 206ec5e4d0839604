import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { ZTimeFrame } from "@/server/domain/leaderboard/dto";
import { runJobNow } from "@/server/inngest";

const ZRefreshResult = z.object({ timeFrame: ZTimeFrame, rows: z.number().int().optional(), skipped: z.string().optional() });

/**
 * Recomputes one leaderboard now instead of at its next scheduled run (OA's trusted `POST /leaderboards/update/{tf}`).
 * If a scheduled run is already at it, this one is skipped and says so.
 */
export const refreshLeaderboardRoute = moderatorProcedure
  .input(z.object({ timeFrame: ZTimeFrame }))
  .output(ZRefreshResult)
  .mutation(async ({ ctx, input }) => ZRefreshResult.parse(await runJobNow(`refresh-leaderboard-${input.timeFrame}`, ctx.db)));
