import { authedProcedure } from "@/server/api/trpc";
import { listLinkedAccounts, ZLinkedAccounts } from "@/server/domain/users/account";

/** The providers the caller signs in with (names only, never tokens or provider account ids). */
export const listLinkedAccountsRoute = authedProcedure
  .output(ZLinkedAccounts)
  .query(({ ctx }) => listLinkedAccounts(ctx.db, ctx.user.id));
