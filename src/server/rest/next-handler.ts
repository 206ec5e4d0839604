import { getDatabase } from "@/server/db";
import { getRuntimeTreeDeps } from "@/server/domain/trees/runtime";
import { handleBackend, handleInference } from "./index";

type RouteContext = { params: Promise<{ path?: string[] }> };

/** Next.js route handlers for a catch-all segment: every method goes to the REST dispatcher. */
export function restRouteHandlers(api: "backend" | "inference", prefix: string[] = []) {
  const handler = async (request: Request, context: RouteContext) => {
    const { path = [] } = await context.params;
    const deps = { db: getDatabase(), treeDeps: getRuntimeTreeDeps() };
    const segments = [...prefix, ...path];
    return api === "backend" ? handleBackend(request, segments, deps) : handleInference(request, segments, deps);
  };
  return { GET: handler, POST: handler, PUT: handler, DELETE: handler };
}
