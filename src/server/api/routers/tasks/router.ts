import { createTRPCRouter } from "@/server/api/trpc";
import { ackTaskRoute } from "./ack-task";
import { availabilityRoute } from "./availability";
import { getTreeConfigRoute } from "./get-tree-config";
import { requestTaskRoute } from "./request-task";
import { resumeTaskRoute } from "./resume-task";
import { skipTaskRoute } from "./skip-task";
import { submitLabelsRoute } from "./submit-labels";
import { submitRankingRoute } from "./submit-ranking";
import { submitReplyRoute } from "./submit-reply";

export const tasksRouter = createTRPCRouter({
  request: requestTaskRoute,
  resume: resumeTaskRoute,
  availability: availabilityRoute,
  ack: ackTaskRoute,
  skip: skipTaskRoute,
  submitReply: submitReplyRoute,
  submitLabels: submitLabelsRoute,
  submitRanking: submitRankingRoute,
  config: getTreeConfigRoute,
});
