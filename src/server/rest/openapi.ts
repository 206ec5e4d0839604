import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { APP_ERRORS } from "@/server/errors";
import type { RestRoute } from "./route";

/**
 * The OpenAPI 3.1 document of both REST surfaces, generated from the same zod schemas the handlers parse with
 * (zod-openapi): backend routes under `/api/v1`, inference routes at the origin.
 */

export const ZErrorBody = z
  .object({
    error_code: z.number().int().meta({ description: "The original's numeric error code (0 when it had none)." }),
    message: z.string().meta({ description: "What went wrong, for people." }),
    app_code: z.string().meta({ description: "Our stable error name, e.g. TASK_NOT_FOUND." }),
    detail: z.unknown().optional().meta({ description: "422: the validation issues ({loc, msg, type}); inference API: the message again (FastAPI's field)." }),
  })
  .meta({ id: "ErrorBody" });

const ERROR_NAMES = new Map<number, string[]>();
for (const [name, { oa }] of Object.entries(APP_ERRORS)) if (oa !== 0) ERROR_NAMES.set(oa, [...(ERROR_NAMES.get(oa) ?? []), name]);

function errorResponses(r: RestRoute) {
  const codes = [...new Set([...(r.auth === "none" ? [] : [2]), ...(r.errors ?? [])])];
  const listed = codes.map((code) => `${code} ${(ERROR_NAMES.get(code) ?? ["API_CLIENT_NOT_AUTHORIZED"]).join("/")}`).join(", ");
  const content = { "application/json": { schema: ZErrorBody } };
  return {
    "4XX": { description: `An error body. error_code values of this endpoint: ${listed || "none besides validation"}.`, content },
    "422": { description: "The body, query or path did not validate.", content },
    "500": { description: "A bug on our side (nothing internal is revealed).", content },
  };
}

function operation(r: RestRoute, id: string): ZodOpenApiOperationObject {
  const success = r.response.stream
    ? { "text/event-stream": { schema: z.string().meta({ description: "data: {json} lines; see the description." }) } }
    : r.response.schema
      ? { "application/json": { schema: r.response.schema } }
      : undefined;
  return {
    operationId: id,
    summary: r.summary,
    ...(r.description && { description: r.description }),
    tags: [r.tag],
    security: r.auth === "none" ? [] : [{ apiKey: [] }],
    ...(r.params || r.query ? { requestParams: { ...(r.params && { path: r.params }), ...(r.query && { query: r.query }) } } : {}),
    ...(r.body && { requestBody: { required: true, content: { "application/json": { schema: r.body } } } }),
    responses: {
      [String(r.response.status)]: { description: r.response.description ?? (r.response.status === 204 ? "Done." : "OK."), ...(success && { content: success }) },
      ...(r.response.status === 200 && r.response.stream ? { "204": { description: "The reply has already finished; GET the message." } } : {}),
      ...errorResponses(r),
    },
  };
}

function addRoutes(paths: ZodOpenApiPathsObject, routes: readonly RestRoute[], prefix: string) {
  for (const r of routes) {
    const path = `${prefix}${r.path}`.replace(/\/$/, "");
    const id = `${r.method.toLowerCase()}${path.replace(/[{}]/g, "").replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`;
    paths[path] = { ...paths[path], [r.method.toLowerCase()]: operation(r, id) };
  }
}

export function buildOpenApiDocument(backend: readonly RestRoute[], inference: readonly RestRoute[]) {
  const paths: ZodOpenApiPathsObject = {};
  addRoutes(paths, backend, "/api/v1");
  addRoutes(paths, inference, "");
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Open Assistant REST API",
      version: "1.0.0",
      description:
        "The original Open-Assistant backend API (/api/v1) and inference server chat API (/chats, /configs), served by this app over the same domain rules as its tRPC API. Authenticate with an API key in the X-API-Key header; act for your users by sending them in `user` (or the `x-oasst-user: <auth_method>:<id>` header). See /docs/api.",
    },
    servers: [{ url: "/", description: "This server" }],
    components: { securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } } },
    tags: [
      { name: "tasks", description: "Request, acknowledge and answer tasks for your users." },
      { name: "messages" }, { name: "frontend_messages" }, { name: "users" }, { name: "frontend_users" }, { name: "text_labels" },
      { name: "leaderboards" }, { name: "stats" }, { name: "chats", description: "The inference server's chat API." }, { name: "configs" }, { name: "meta" },
    ],
    paths,
  });
}
