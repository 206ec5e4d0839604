import { createTRPCRouter } from "@/server/api/trpc";
import { getQualitySummaryRoute } from "./get-summary";

export const qualityRouter = createTRPCRouter({
  summary: getQualitySummaryRoute,
});
