import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, createElement } from "react";
import { appRouter, createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { getSessionUserId } from "@/server/auth";
import { getDatabase } from "@/server/db";
import { makeQueryClient } from "./query-client";

/** One context per request for React Server Components. */
const createContext = cache(async () =>
  createTRPCContext({ db: getDatabase(), headers: new Headers(await headers()), sessionUserId: await getSessionUserId() }),
);

export const getQueryClient = cache(makeQueryClient);

/** For prefetching in server components: `void queryClient.prefetchQuery(trpc.users.me.queryOptions())`. */
export const trpc = createTRPCOptionsProxy({ ctx: createContext, router: appRouter, queryClient: getQueryClient });

/** Direct server-side calls (no cache): `const api = await serverCaller(); await api.users.me()`. */
export async function serverCaller() {
  return createCaller(await createContext());
}

export function HydrateClient({ children }: { children: React.ReactNode }) {
  return createElement(HydrationBoundary, { state: dehydrate(getQueryClient()) }, children);
}

