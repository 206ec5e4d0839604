import { authedProcedure } from "@/server/api/trpc";
import { toMyProfile, ZMyProfile } from "@/server/domain/users/dto";
import { acceptTermsOfService } from "@/server/domain/users/queries";

export const acceptTosRoute = authedProcedure
  .output(ZMyProfile)
  .mutation(async ({ ctx }) => toMyProfile(await acceptTermsOfService(ctx.db, ctx.user.id)));
