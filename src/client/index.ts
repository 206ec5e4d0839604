import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import superjson from "superjson";
import type { AppRouter } from "../server/api/root";
import { toOpenAssistantError } from "./errors";
import { FetchEventSource } from "./event-source";

/**
 * The typed client for bots and scripts: the app's tRPC API with batching, superjson (dates stay dates) and SSE
 * subscriptions (chat replies as they are written), authenticated with an API key and acting for one of the
 * client's users. Every call's input and output are typed from the server's router (`AppRouter`).
 *
 *   const oa = createOpenAssistantClient({ url: "http://localhost:3000", apiKey, user: { id: "42", displayName: "Ada" } });
 *   const task = await oa.tasks.request.mutate({ type: "random", lang: "en" });
 */
export type { AppRouter };
export { OpenAssistantError, toOpenAssistantError } from "./errors";
export { FetchEventSource } from "./event-source";

export type ExternalUser = {
  /** Your id of the user (a Discord id, a username…); with `authMethod` it names one user of your client. */
  id: string;
  displayName?: string;
  /** `discord`, `telegram`, `local`… (default `local`). */
  authMethod?: string;
};

export type OpenAssistantClientOptions = {
  /** The app's origin, e.g. `http://localhost:3000`. */
  url: string;
  apiKey: string;
  /** The user to act for; omit for calls that need none (e.g. `apiClients.whoami`). */
  user?: ExternalUser;
  /** A custom fetch (tests, proxies). */
  fetch?: typeof fetch;
};

/** Header values must be printable ASCII here; a display name outside it is left out (the id is shown instead). */
const isHeaderSafe = (value: string) => /^[\x20-\x7e]*$/.test(value);

export function clientHeaders(options: Pick<OpenAssistantClientOptions, "apiKey" | "user">): Record<string, string> {
  const headers: Record<string, string> = { "x-api-key": options.apiKey };
  if (options.user) {
    headers["x-oasst-user"] = `${options.user.authMethod ?? "local"}:${options.user.id}`;
    if (options.user.displayName && isHeaderSafe(options.user.displayName)) headers["x-oasst-user-name"] = options.user.displayName;
  }
  return headers;
}

/** Every failure reaches the caller as an OpenAssistantError (appCode, oaCode, retry advice). */
const typedErrors: TRPCLink<AppRouter> = () => ({ next, op }) =>
  observable((observer) =>
    next(op).subscribe({
      next: (value) => observer.next(value),
      error: (error) => observer.error(toOpenAssistantError(error)),
      complete: () => observer.complete(),
    }),
  );

export function createOpenAssistantClient(options: OpenAssistantClientOptions) {
  const url = `${options.url.replace(/\/$/, "")}/api/trpc`;
  const headers = clientHeaders(options);
  return createTRPCClient<AppRouter>({
    links: [
      typedErrors,
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url,
          transformer: superjson,
          EventSource: FetchEventSource,
          eventSourceOptions: () => ({ headers, fetch: options.fetch }),
        }),
        false: httpBatchLink({ url, transformer: superjson, headers: () => headers, fetch: options.fetch }),
      }),
    ],
  });
}

export type OpenAssistantClient = ReturnType<typeof createOpenAssistantClient>;
