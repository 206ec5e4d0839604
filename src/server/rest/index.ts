import { messageRoutes } from "./backend/messages";
import { statsRoutes } from "./backend/stats";
import { userListRoutes } from "./backend/user-lists";
import { taskRoutes } from "./backend/tasks";
import { userRoutes } from "./backend/users";
import { chatRoutes } from "./inference/chats";
import { buildOpenApiDocument } from "./openapi";
import { dispatch, route, type RestDeps, type RestRoute } from "./route";

/** The original backend's `/api/v1` (spec backend §5), served at `/api/v1/…`. */
export const backendRoutes: readonly RestRoute[] = [
  ...taskRoutes,
  ...messageRoutes,
  ...userRoutes,
  ...userListRoutes,
  ...statsRoutes,
  route({
    method: "GET",
    path: "/openapi.json",
    tag: "meta",
    summary: "This OpenAPI 3.1 document",
    auth: "none",
    response: { status: 200 },
    handle: async () => openApiDocument(),
  }),
];

/** The original inference server's chat API (spec inference §2.2), served at the app's origin (`/chats…`, `/configs…`). */
export const inferenceRoutes: readonly RestRoute[] = [...chatRoutes];

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

/** Generated once per process from the route tables' zod schemas. */
export function openApiDocument() {
  document ??= buildOpenApiDocument(backendRoutes, inferenceRoutes);
  return document;
}

export function handleBackend(request: Request, segments: readonly string[], deps: RestDeps) {
  return dispatch("backend", backendRoutes, request, segments, deps);
}

export function handleInference(request: Request, segments: readonly string[], deps: RestDeps) {
  return dispatch("inference", inferenceRoutes, request, segments, deps);
}
