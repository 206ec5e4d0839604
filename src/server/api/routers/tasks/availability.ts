import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { taskAvailability } from "@/server/domain/tasks/availability";
import { TASK_REQUEST_TYPES } from "@/server/domain/tasks/types";
import { ZLang } from "./schemas";

export const availabilityRoute = contributorProcedure
  .input(z.object({ lang: ZLang.default("en") }))
  .output(z.record(z.enum(TASK_REQUEST_TYPES), z.number().int()))
  .query(({ ctx, input }) => taskAvailability(ctx.db, ctx.user.id, input.lang, ctx.treeDeps));
