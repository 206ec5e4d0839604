import { messageRoutes } from "./backend/messages";
import { taskRoutes } from "./backend/tasks";
import { userRoutes } from "./backend/users";
import { chatRoutes } from "./inference/chats";
import { dispatch, type RestDeps, type RestRoute } from "./route";

/** The original backend's `/api/v1` (spec backend §5), served at `/api/v1/…`. */
export const backendRoutes: readonly RestRoute[] = [...taskRoutes, ...messageRoutes, ...userRoutes];

/** The original inference server's chat API (spec inference §2.2), served at the app's origin (`/chats…`, `/configs…`). */
export const inferenceRoutes: readonly RestRoute[] = [...chatRoutes];

export function handleBackend(request: Request, segments: readonly string[], deps: RestDeps) {
  return dispatch("backend", backendRoutes, request, segments, deps);
}

export function handleInference(request: Request, segments: readonly string[], deps: RestDeps) {
  return dispatch("inference", inferenceRoutes, request, segments, deps);
}
