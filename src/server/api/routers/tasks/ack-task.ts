import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { acknowledgeTask } from "@/server/domain/tasks/lifecycle";
import { ZTaskAck } from "@/server/domain/tasks/types";
import { ZTaskId } from "./schemas";

export const ackTaskRoute = contributorProcedure
  .input(z.object({ taskId: ZTaskId, frontendMessageId: z.string().trim().min(1).max(200) }))
  .output(ZTaskAck)
  .mutation(({ ctx, input }) =>
    acknowledgeTask(ctx.db, { userId: ctx.user.id, apiClientId: ctx.apiClient?.id ?? null }, input.taskId, input.frontendMessageId),
  );
