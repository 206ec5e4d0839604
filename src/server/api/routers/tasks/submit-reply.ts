import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { submitReply } from "@/server/domain/tasks/submit-reply";
import { ZTaskId } from "./schemas";

export const submitReplyRoute = contributorProcedure
  // Length and emptiness are checked by the domain, which answers with the original's error codes.
  .input(z.object({ taskId: ZTaskId, text: z.string().max(100_000), frontendMessageId: z.string().trim().min(1).max(200).optional() }))
  .output(z.object({ messageId: z.uuid() }))
  .mutation(({ ctx, input }) => submitReply(ctx.db, { userId: ctx.user.id, apiClientId: ctx.apiClient?.id ?? null }, input, ctx.treeDeps));
