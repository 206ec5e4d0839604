import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { responseHeadersFor } from "@/server/api/response-meta";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { getSessionUserId } from "@/server/auth";
import { getDatabase } from "@/server/db";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () =>
      createTRPCContext({ db: getDatabase(), headers: req.headers, sessionUserId: await getSessionUserId() }),
    responseMeta: ({ errors }) => ({ headers: responseHeadersFor(errors) }),
  });

export { handler as GET, handler as POST };
