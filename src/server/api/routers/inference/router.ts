import { createTRPCRouter } from "@/server/api/trpc";
import { listWorkersRoute } from "./list-workers";
import { queueStatsRoute } from "./queue-stats";

/** Moderator view of the inference side. */
export const inferenceRouter = createTRPCRouter({
  workers: listWorkersRoute,
  queue: queueStatsRoute,
});
