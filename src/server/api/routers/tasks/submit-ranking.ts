import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { submitRanking } from "@/server/domain/tasks/submit-ranking";
import { ZTaskId } from "./schemas";

export const submitRankingRoute = contributorProcedure
  .input(z.object({ taskId: ZTaskId, rankedMessageIds: z.array(z.uuid()).min(1).max(50), notRankable: z.boolean().optional() }))
  .output(z.object({ done: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await submitRanking(ctx.db, { userId: ctx.user.id, apiClientId: ctx.apiClient?.id ?? null }, input, ctx.treeDeps);
    return { done: true as const };
  });
