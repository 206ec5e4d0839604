import { createTRPCRouter } from "@/server/api/trpc";
import { createApiClientRoute } from "./create-api-client";
import { listApiClientsRoute } from "./list-api-clients";
import { setApiClientEnabledRoute } from "./set-api-client-enabled";
import { apiClientWhoamiRoute } from "./whoami";

export const apiClientsRouter = createTRPCRouter({
  create: createApiClientRoute,
  list: listApiClientsRoute,
  setEnabled: setApiClientEnabledRoute,
  whoami: apiClientWhoamiRoute,
});
