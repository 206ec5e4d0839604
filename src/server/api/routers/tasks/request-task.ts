import { z } from "zod";
import { rateLimitTaskRequest } from "@/server/api/rate-limit";
import { contributorProcedure } from "@/server/api/trpc";
import { requestTask } from "@/server/domain/tasks/request-task";
import { TASK_REQUEST_TYPES, ZTask } from "@/server/domain/tasks/types";
import { ZLang } from "./schemas";

export const requestTaskRoute = contributorProcedure
  .input(z.object({ type: z.enum(TASK_REQUEST_TYPES).default("random"), lang: ZLang.default("en") }))
  .use(rateLimitTaskRequest)
  .output(ZTask)
  .mutation(({ ctx, input }) =>
    requestTask(ctx.db, { userId: ctx.user.id, apiClientId: ctx.apiClient?.id ?? null }, input, ctx.treeDeps),
  );
