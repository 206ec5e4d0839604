import { restRouteHandlers } from "@/server/rest/next-handler";

/** The inference server's chat API; `/chats…` and `/configs…` at the origin are rewritten here (next.config.ts). */
export const dynamic = "force-dynamic";
export const { GET, POST, PUT, DELETE } = restRouteHandlers("inference");
