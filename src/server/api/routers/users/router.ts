import { createTRPCRouter } from "@/server/api/trpc";
import { acceptTosRoute } from "./accept-tos";
import { deleteAccountRoute } from "./delete-account";
import { getMeRoute } from "./get-me";
import { listLinkedAccountsRoute } from "./list-linked-accounts";
import { updateProfileRoute } from "./update-profile";

export const usersRouter = createTRPCRouter({
  me: getMeRoute,
  acceptTos: acceptTosRoute,
  updateProfile: updateProfileRoute,
  linkedAccounts: listLinkedAccountsRoute,
  deleteAccount: deleteAccountRoute,
});
