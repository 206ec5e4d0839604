import { z } from "zod";
import { authedProcedure } from "@/server/api/trpc";
import { toMyProfile, ZMyProfile } from "@/server/domain/users/dto";
import { updateProfile } from "@/server/domain/users/queries";

export const ZUpdateProfileRequest = z
  .object({
    displayName: z
      .string()
      .trim()
      .min(1, "The display name cannot be empty.")
      .max(64, "The display name can be at most 64 characters.")
      .regex(/^[^\p{Cc}]+$/u, "The display name cannot contain control characters.")
      .optional(),
    showOnLeaderboard: z.boolean().optional(),
  })
  .refine((input) => input.displayName !== undefined || input.showOnLeaderboard !== undefined, {
    message: "Nothing to change.",
  });

export const updateProfileRoute = authedProcedure
  .input(ZUpdateProfileRequest)
  .output(ZMyProfile)
  .mutation(async ({ ctx, input }) => toMyProfile(await updateProfile(ctx.db, ctx.user.id, input)));
