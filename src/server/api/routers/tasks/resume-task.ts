import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { resumeOpenTask } from "@/server/domain/tasks/resume-task";
import { TASK_REQUEST_TYPES, ZTask } from "@/server/domain/tasks/types";

/** The caller's open task of this type, if any (for resuming after a reload); null when there is none. */
export const resumeTaskRoute = contributorProcedure
  .input(z.object({ type: z.enum(TASK_REQUEST_TYPES).default("random") }))
  .output(ZTask.nullable())
  .mutation(({ ctx, input }) => resumeOpenTask(ctx.db, { userId: ctx.user.id, apiClientId: ctx.apiClient?.id ?? null }, input.type));
