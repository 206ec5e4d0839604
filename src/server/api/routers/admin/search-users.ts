import { moderatorProcedure } from "@/server/api/trpc";
import { searchUsers, ZUserSearch, ZUserSearchPage } from "@/server/domain/admin/users";

/** Users by name, username, email or id prefix (case-insensitive), newest first, paged. */
export const searchUsersRoute = moderatorProcedure
  .input(ZUserSearch)
  .output(ZUserSearchPage)
  .query(({ ctx, input }) => searchUsers(ctx.db, input));
