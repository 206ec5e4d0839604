import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { getUserDetail, ZUserDetail } from "@/server/domain/admin/users";

/** A user's page: stats per time frame, troll score, streak, recent tasks, reports against them. */
export const getUserDetailRoute = moderatorProcedure
  .input(z.object({ userId: z.uuid() }))
  .output(ZUserDetail)
  .query(({ ctx, input }) => getUserDetail(ctx.db, input.userId));
