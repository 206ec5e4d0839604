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
        /** What the moderator saw of the changed fields; a difference is a CONFLICT (optimistic check). */
        expected: z
          .object({ enabled: z.boolean(), role: z.enum(USER_ROLES), notes: z.string().max(1024), showOnLeaderboard: z.boolean() })
          .partial()
          .optional(),
      })
      .refine((input) => Object.keys(input).some((key) => key !== "userId" && key !== "expected"), { message: "Nothing to change." }),
  )
  .output(ZModeratedUser)
  .mutation(({ ctx, input: { userId, expected, ...changes } }) =>
    updateUserAsModerator(ctx.db, actorOf(ctx), userId, changes, ctx.treeDeps, expected));
