import { createTRPCRouter } from "@/server/api/trpc";
import { getCachedStatsRoute } from "./get-cached-stats";
import { refreshCachedStatsRoute } from "./refresh-cached-stats";
import { similarPromptsRoute } from "./similar-prompts";

export const statsRouter = createTRPCRouter({
  cached: getCachedStatsRoute,
  refreshCached: refreshCachedStatsRoute,
  similarPrompts: similarPromptsRoute,
});
