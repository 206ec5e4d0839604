import { pickEnv } from "@/env";
import { handleTrpcHttpRequest } from "@/server/api/http-handler";
import { createTRPCContext } from "@/server/api/trpc";
import { getSessionUserId } from "@/server/auth";
import { getDatabase } from "@/server/db";

const handler = (request: Request) =>
  handleTrpcHttpRequest(request, {
    maxBodyBytes: pickEnv(["API_MAX_BODY_BYTES"]).API_MAX_BODY_BYTES,
    createContext: async (req) => createTRPCContext({ db: getDatabase(), headers: req.headers, sessionUserId: await getSessionUserId(req.headers) }),
  });

export { handler as GET, handler as POST };
