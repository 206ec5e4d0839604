import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import type { Database } from "@/server/db/client";

/**
 * The app's tRPC endpoint over real HTTP for tests (SSE subscriptions included): Node's http server in front of tRPC's
 * fetch handler, as `src/app/api/trpc/[trpc]/route.ts` serves it in Next. The caller is signed in by the
 * `x-test-user` header. A closed client connection aborts the request, so a subscription ends as it would in the app.
 */
export async function startTrpcHttpServer(db: Database): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    let body: string | undefined;
    if (req.method === "POST") {
      body = "";
      for await (const chunk of req) body += chunk;
    }
    const headers = new Headers(Object.entries(req.headers).flatMap(([key, value]) => (typeof value === "string" ? [[key, value] as [string, string]] : [])));
    const request = new Request(`http://localhost${req.url}`, { method: req.method, headers, body, signal: controller.signal });
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: request,
      router: appRouter,
      createContext: () => createTRPCContext({ db, headers, sessionUserId: headers.get("x-test-user") }),
    });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return res.end();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
    } catch {
      // the client went away, or the server is stopping
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let stopped = false;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
