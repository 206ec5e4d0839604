import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { previewResultSchema } from "@/server/domain/moderation/preview";
import { purgeUserMessages, ZPurgeCounts } from "@/server/domain/moderation/purge-ops";

/** Hard-deletes a user's messages (and the replies below them); `preview` (the default) rolls back. */
export const purgeUserMessagesRoute = moderatorProcedure
  .input(
    z
      .object({
        userId: z.uuid(),
        purgeInitialPrompts: z.boolean().default(false),
        minDate: z.date().optional(),
        maxDate: z.date().optional(),
        preview: z.boolean().default(true),
      })
      .refine((input) => !input.minDate || !input.maxDate || input.minDate <= input.maxDate, {
        message: "minDate must not be after maxDate.",
      }),
  )
  .output(previewResultSchema(ZPurgeCounts))
  .mutation(({ ctx, input }) => purgeUserMessages(ctx.db, ctx.user.id, input, ctx.treeDeps));
