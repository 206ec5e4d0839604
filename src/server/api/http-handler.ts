import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { DEFAULT_MAX_BODY_BYTES, limitRequestBody } from "@/lib/body-limit";
import { isSmallJson, withNoTransform } from "@/lib/small-answers";
import { responseHeadersFor } from "./response-meta";
import { appRouter } from "./root";
import type { TRPCContext } from "./trpc";

/**
 * The HTTP skin of the API (`/api/trpc/*`): the body is never read past `maxBodyBytes` (the procedure layer
 * answers an oversized one with a typed 413), and every response is `no-store` plus the headers of `responseHeadersFor`.
 * An answer known to be under 1 KB (most: acknowledgements, submits, flags) is also `no-transform`, so Next does not
 * gzip it (`src/lib/small-answers.ts`); a streamed one, whose data is not known when its headers go out, is left alone.
 */
export function handleTrpcHttpRequest(
  request: Request,
  opts: { createContext: (req: Request) => Promise<TRPCContext>; maxBodyBytes?: number },
): Promise<Response> {
  const req = limitRequestBody(request, opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => opts.createContext(req),
    // Answers are per caller: never stored by a browser or a shared cache.
    responseMeta: ({ errors, data, eagerGeneration }) => ({
      headers: { "cache-control": !eagerGeneration && isSmallJson(data) ? withNoTransform("no-store") : "no-store", ...responseHeadersFor(errors) },
    }),
  });
}
