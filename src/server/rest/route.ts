import type { z } from "zod";
import type { Database } from "@/server/db/client";
import { authenticateApiKey, type ApiClientRow } from "@/server/domain/api-clients/keys";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { AppError } from "@/server/errors";
import { errorResponse, json, readJson, sanitizedInput, type RestApi } from "./http";

/**
 * One REST endpoint: its zod schemas (the same ones the OpenAPI document is generated from), who may call it, and a
 * thin handler that calls the domain and shapes the original's JSON.
 */
export type RestDeps = { db: Database; treeDeps: TreeDeps };

export type Auth = "none" | "key" | "trusted";

export type RestContext<A extends Auth> = RestDeps & {
  request: Request;
  signal: AbortSignal;
  apiClient: A extends "none" ? ApiClientRow | null : ApiClientRow;
};

type AnyObject = z.ZodObject<z.ZodRawShape>;

export type RestRoute<
  A extends Auth = Auth,
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** OpenAPI style: `/tasks/{task_id}/ack`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
  /** Success status and body schema (none for 204); `text/event-stream` for SSE endpoints. */
  response: { status: number; schema?: z.ZodType; stream?: boolean; description?: string };
  /** Original error codes this endpoint answers with, for the document. */
  errors?: number[];
  handle: (
    ctx: RestContext<A>,
    input: {
      params: P extends AnyObject ? z.output<P> : Record<string, never>;
      query: Q extends AnyObject ? z.output<Q> : Record<string, never>;
      body: B extends z.ZodType ? z.output<B> : undefined;
    },
  ) => Promise<unknown>;
};

/** Keeps the generic parameters of one route while collecting routes of different shapes in one list. */
export function route<A extends Auth, P extends AnyObject | undefined = undefined, Q extends AnyObject | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  definition: RestRoute<A, P, Q, B>,
): RestRoute {
  return definition as unknown as RestRoute;
}

/** A handler may return a ready Response (SSE, 204) or a JSON-able value sent with the route's status. */
export class Raw {
  constructor(readonly response: Response) {}
}

function matchPath(pattern: string, segments: readonly string[]): Record<string, string> | null {
  const parts = pattern.split("/").filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith("{") && part.endsWith("}")) params[part.slice(1, -1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}

/** Literal segments win over parameters, so `/users/by_username` is not read as `/users/{user_id}`. */
function specificity(pattern: string): number {
  return pattern.split("/").filter((part) => part && !part.startsWith("{")).length;
}

function queryObject(url: URL): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    result[key] = values.length === 1 ? values[0]! : values;
  }
  return result;
}

async function authenticate(db: Database, request: Request, url: URL, auth: Auth): Promise<ApiClientRow | null> {
  const key = request.headers.get("x-api-key") ?? url.searchParams.get("api_key");
  if (!key) {
    if (auth === "none") return null;
    throw new AppError("API_CLIENT_NOT_AUTHORIZED", "This endpoint needs an API key in the X-API-Key header.");
  }
  const client = await authenticateApiKey(db, key);
  if (auth === "trusted" && !client.trusted) throw new AppError("FORBIDDEN", "Only trusted API clients may do this.");
  return client;
}

/** Finds the route for a method and path below the API's mount point and runs it. */
export async function dispatch(api: RestApi, routes: readonly RestRoute[], request: Request, segments: readonly string[], deps: RestDeps): Promise<Response> {
  try {
    const method = request.method === "HEAD" ? "GET" : request.method;
    const candidates = routes
      .map((r) => ({ r, params: matchPath(r.path, segments) }))
      .filter((c): c is { r: RestRoute; params: Record<string, string> } => c.params !== null)
      .sort((a, b) => specificity(b.r.path) - specificity(a.r.path));
    if (candidates.length === 0) return json({ error_code: 0, app_code: "NOT_FOUND", message: "Not Found", detail: "Not Found" }, 404);
    const match = candidates.find((c) => c.r.method === method);
    if (!match) {
      const allow = [...new Set(candidates.map((c) => c.r.method))].join(", ");
      return json({ error_code: 0, app_code: "METHOD_NOT_ALLOWED", message: "Method Not Allowed", detail: "Method Not Allowed" }, 405, { allow });
    }
    const { r } = match;
    const url = new URL(request.url);
    const apiClient = await authenticate(deps.db, request, url, r.auth);
    const params = r.params ? r.params.parse(sanitizedInput(match.params)) : {};
    const query = r.query ? r.query.parse(sanitizedInput(queryObject(url))) : {};
    const body = r.body ? r.body.parse(await readJson(request)) : undefined;
    const ctx = { ...deps, request, signal: request.signal, apiClient } as RestContext<Auth>;
    const result = await r.handle(ctx as never, { params, query, body } as never);
    if (result instanceof Raw) return result.response;
    return json(result ?? null, r.response.status);
  } catch (error) {
    return errorResponse(error, api);
  }
}
