import { restRouteHandlers } from "@/server/rest/next-handler";

export const dynamic = "force-dynamic";
export const { GET, POST, PUT, DELETE } = restRouteHandlers("backend");
