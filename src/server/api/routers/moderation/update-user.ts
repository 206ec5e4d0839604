import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { USER_ROLES } from "@/server/db/schema";
import { updateUserAsModerator, ZModeratedUser } from "@/server/domain/moderation/users";
import { actorOf } from "./actor";

/**
 * Enables/disables a user, sets their role, notes or leaderboard visibility. Moderators may ban or un-ban
 * contributors; only admins grant or change moderator and admin roles.
 */
export const updateUserRoute = moderatorProcedure
  .input(
    z
      .object({
        userId: z.uuid(),
        enabled: z.boolean().optional(),
        role: z.enum(USER_ROLES).optional(),
        notes: z.string().max(1024).optional(),
        showOnLeaderboard: z.boolean().optional(),
      })
      .refine((input) => Object.keys(input).some((key) => key !== "userId"), { message: "Nothing to change." }),
  )
  .output(ZModeratedUser)
  .mutation(({ ctx, input: { userId, ...changes } }) => updateUserAsModerator(ctx.db, actorOf(ctx), userId, changes, ctx.treeDeps));
