import { createTRPCRouter } from "@/server/api/trpc";
import { getQualitySummaryRoute } from "./get-summary";
import { getGoldItemRoute, removeGoldItemRoute, setGoldItemRoute } from "./gold-item";

export const qualityRouter = createTRPCRouter({
  summary: getQualitySummaryRoute,
  goldItem: getGoldItemRoute,
  setGoldItem: setGoldItemRoute,
  removeGoldItem: removeGoldItemRoute,
});
