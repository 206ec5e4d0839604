import { z } from "zod";
import { chargeTaskRequest } from "@/server/api/rate-limit";
import { contributorProcedure } from "@/server/api/trpc";
import { requestTask } from "@/server/domain/tasks/request-task";
import { TASK_REQUEST_TYPES, ZTask } from "@/server/domain/tasks/types";
import { ZLang } from "./schemas";

export const requestTaskRoute = contributorProcedure
  .input(z.object({ type: z.enum(TASK_REQUEST_TYPES).default("random"), lang: ZLang.default("en") }))
  .output(ZTask)
  .mutation(async ({ ctx, input }) => {
    const actor = { userId: ctx.user.id, apiClientId: ctx.apiClient?.id ?? null };
    const replyBudget = await chargeTaskRequest(actor, input.type);
    return requestTask(ctx.db, actor, input, ctx.treeDeps, { replyBudget });
  });
