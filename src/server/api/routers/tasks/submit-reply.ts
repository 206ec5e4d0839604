import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { submitReply } from "@/server/domain/tasks/submit-reply";
import { emitMessageCreated } from "@/server/inngest";
import { ZTaskId } from "./schemas";

export const submitReplyRoute = contributorProcedure
  // Length and emptiness are checked by the domain, which answers with the original's error codes.
  .input(z.object({ taskId: ZTaskId, text: z.string().max(100_000), frontendMessageId: z.string().trim().min(1).max(200).optional() }))
  .output(z.object({ messageId: z.uuid() }))
  .mutation(async ({ ctx, input }) => {
    const result = await submitReply(ctx.db, { userId: ctx.user.id, apiClientId: ctx.apiClient?.id ?? null }, input, ctx.treeDeps);
    // After the commit, so the toxicity and embedding jobs find the message.
    void emitMessageCreated(result.messageId);
    return result;
  });
