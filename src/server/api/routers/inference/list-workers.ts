import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { getChatConfig } from "@/server/domain/chat/config";
import { listWorkers, ZWorkerHealth } from "@/server/domain/chat/workers";

/** Inference workers and their health (heartbeat age, running jobs, totals). */
export const listWorkersRoute = moderatorProcedure
  .input(z.object({ includeOffline: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(100) }).default({ includeOffline: false, limit: 100 }))
  .output(z.array(ZWorkerHealth))
  .query(({ ctx, input }) => listWorkers(ctx.db, { staleMs: getChatConfig().workerStaleMs, ...input }));
