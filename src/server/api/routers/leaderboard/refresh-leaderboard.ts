import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { ZTimeFrame } from "@/server/domain/leaderboard/dto";
import { runJobNow } from "@/server/inngest";

/**
 * A run of the frame's job: how many users it recomputed (`"all"`: the frame was rebuilt in full) and the rows they
 * now have, or why it was skipped.
 */
const ZRefreshResult = z.object({
  timeFrame: ZTimeFrame,
  recomputed: z.union([z.literal("all"), z.number().int()]).optional(),
  rows: z.number().int().optional(),
  skipped: z.string().optional(),
});

/**
 * Runs one leaderboard's job now instead of at its next scheduled run (OA's trusted `POST /leaderboards/update/{tf}`):
 * the frame's window moves to now (rebuild-boards.ts `advanceBoards`). If a scheduled run is already at it, this one
 * is skipped and says so.
 */
export const refreshLeaderboardRoute = moderatorProcedure
  .input(z.object({ timeFrame: ZTimeFrame }))
  .output(ZRefreshResult)
  .mutation(async ({ ctx, input }) => ZRefreshResult.parse(await runJobNow(`refresh-leaderboard-${input.timeFrame}`, ctx.db)));
