import { Inngest } from "inngest";
import { pickEnv } from "@/env";

/**
 * The Inngest client. The SDK reads INNGEST_EVENT_KEY, INNGEST_SIGNING_KEY, INNGEST_DEV and INNGEST_BASE_URL
 * (a self-hosted server) from the environment itself; `src/env.ts` validates them.
 */
export const inngest = new Inngest({ id: "open-assistant" });

/**
 * Inngest runs our jobs when it can reach us and we can reach it: an event key (Inngest Cloud or a self-hosted
 * server) or the local dev server. Otherwise (the embedded default) the same jobs run in-process.
 */
export function isInngestConfigured(): boolean {
  const env = pickEnv(["INNGEST_EVENT_KEY", "INNGEST_DEV"]);
  return Boolean(env.INNGEST_EVENT_KEY || env.INNGEST_DEV);
}
