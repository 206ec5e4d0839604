import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { ZTimeFrame, ZTrollboard } from "@/server/domain/leaderboard/dto";
import { getTrollboard } from "@/server/domain/leaderboard/trollboard";

export const ZTrollboardRequest = z.object({
  timeFrame: ZTimeFrame.default("day"),
  /** true: users who can still contribute; false: disabled or banned users. */
  enabled: z.boolean().default(true),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

/** The trollboard of a time frame, for moderators (spec §4.4, OA `GET /trollboards/{tf}`). */
export const getTrollboardRoute = moderatorProcedure
  .input(ZTrollboardRequest)
  .output(ZTrollboard)
  .query(({ ctx, input }) => getTrollboard(ctx.db, input));
