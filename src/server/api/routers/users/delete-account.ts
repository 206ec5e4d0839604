import { z } from "zod";
import { authedProcedure } from "@/server/api/trpc";
import { deleteOwnAccount } from "@/server/domain/users/account";

/**
 * Deletes the caller's own account (spec §4.1): the contributions stay, anonymised as "Deleted User"; the client
 * signs out afterwards. Open before the terms are accepted too, so nobody is kept in by the gate.
 */
export const deleteAccountRoute = authedProcedure
  .output(z.object({ deleted: z.literal(true) }))
  .mutation(async ({ ctx }) => {
    await deleteOwnAccount(ctx.db, ctx.user.id, ctx.treeDeps);
    return { deleted: true as const };
  });
