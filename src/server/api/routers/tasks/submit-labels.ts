import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { submitLabels } from "@/server/domain/tasks/submit-labels";
import { ZTaskId } from "./schemas";

export const submitLabelsRoute = contributorProcedure
  .input(
    z.object({
      taskId: ZTaskId,
      labels: z.record(z.string().max(64), z.number().min(0, "Label values are between 0 and 1.").max(1, "Label values are between 0 and 1.")),
      text: z.string().max(65_536).optional(),
      messageId: z.uuid().optional(),
    }),
  )
  .output(z.object({ done: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await submitLabels(ctx.db, { userId: ctx.user.id, apiClientId: ctx.apiClient?.id ?? null }, input, ctx.treeDeps);
    return { done: true as const };
  });
