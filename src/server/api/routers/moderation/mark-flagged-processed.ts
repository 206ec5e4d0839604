import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { markFlaggedProcessed } from "@/server/domain/moderation/flagged";
import { ZMessageIdInput } from "../messages/viewer";

export const markFlaggedProcessedRoute = moderatorProcedure
  .input(ZMessageIdInput)
  .output(z.object({ messageId: z.uuid(), processed: z.boolean() }))
  .mutation(({ ctx, input }) => markFlaggedProcessed(ctx.db, ctx.user.id, input.messageId));
