import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { deleteUserAsModerator, ZModeratedUser } from "@/server/domain/moderation/users";
import { actorOf } from "./actor";

/** Anonymises a user: their content stays, their name and sign-in links go (spec §4.1). */
export const deleteUserRoute = moderatorProcedure
  .input(z.object({ userId: z.uuid() }))
  .output(ZModeratedUser)
  .mutation(({ ctx, input }) => deleteUserAsModerator(ctx.db, actorOf(ctx), input.userId, ctx.treeDeps));
