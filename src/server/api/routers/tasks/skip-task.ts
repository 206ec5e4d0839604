import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { skipTask } from "@/server/domain/tasks/lifecycle";
import { ZTaskId } from "./schemas";

export const skipTaskRoute = contributorProcedure
  .input(z.object({ taskId: ZTaskId, reason: z.string().trim().max(512).optional() }))
  .output(z.object({ skipped: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await skipTask(ctx.db, { userId: ctx.user.id, apiClientId: ctx.apiClient?.id ?? null }, input.taskId, input.reason ?? null, ctx.treeDeps);
    return { skipped: true as const };
  });
