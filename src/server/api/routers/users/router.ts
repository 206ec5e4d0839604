import { createTRPCRouter } from "@/server/api/trpc";
import { acceptTosRoute } from "./accept-tos";
import { getMeRoute } from "./get-me";
import { updateProfileRoute } from "./update-profile";

export const usersRouter = createTRPCRouter({
  me: getMeRoute,
  acceptTos: acceptTosRoute,
  updateProfile: updateProfileRoute,
});
