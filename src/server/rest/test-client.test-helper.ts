import type { Database } from "@/server/db/client";
import { apiClients } from "@/server/db/schema";
import { hashApiKey } from "@/server/domain/api-clients/keys";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { testTreeDeps } from "@/test/factories";
import { handleBackend, handleInference } from "./index";

/** Calls the REST facade in-process, as an HTTP client would: method, path, JSON body, headers. */
export type RestCall = { status: number; body: unknown; headers: Headers; response: Response };

export async function createKey(db: Database, key: string, options: { trusted?: boolean; description?: string } = {}) {
  const [client] = await db
    .insert(apiClients)
    .values({ keyHash: hashApiKey(key), keyPrefix: key.slice(0, 12), description: options.description ?? `client ${key}`, frontendType: "test", trusted: options.trusted ?? false })
    .returning();
  return client!;
}

export function restClient(db: Database, options: { key?: string; treeDeps?: TreeDeps; headers?: Record<string, string> } = {}) {
  const deps = { db, treeDeps: options.treeDeps ?? testTreeDeps() };
  async function call(api: "backend" | "inference", method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RestCall> {
    const url = new URL(path, "http://localhost");
    const request = new Request(url, {
      method,
      headers: { ...(options.key ? { "x-api-key": options.key } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...options.headers, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const segments = url.pathname.replace(/^\/api\/v1/, "").split("/").filter(Boolean).map(decodeURIComponent);
    const response = api === "backend" ? await handleBackend(request, segments, deps) : await handleInference(request, segments, deps);
    const isJson = response.headers.get("content-type")?.includes("application/json");
    const parsed = isJson ? ((await response.clone().json()) as unknown) : null;
    return { status: response.status, body: parsed, headers: response.headers, response };
  }
  return {
    backend: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call("backend", method, path, body, headers),
    inference: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call("inference", method, path, body, headers),
  };
}
