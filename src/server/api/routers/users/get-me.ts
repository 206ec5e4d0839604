import { authedProcedure } from "@/server/api/trpc";
import { toMyProfile, ZMyProfile } from "@/server/domain/users/dto";

/** The signed-in user's own account (works before the terms are accepted, so the gate can show them). */
export const getMeRoute = authedProcedure.output(ZMyProfile).query(({ ctx }) => toMyProfile(ctx.user));
