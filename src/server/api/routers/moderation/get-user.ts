import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { getModeratedUser, ZModeratedUser } from "@/server/domain/moderation/users";

export const getUserRoute = moderatorProcedure
  .input(z.object({ userId: z.uuid() }))
  .output(ZModeratedUser)
  .query(({ ctx, input }) => getModeratedUser(ctx.db, input.userId));
