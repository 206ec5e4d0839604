import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { submitFreeLabels, ZFreeLabel } from "@/server/domain/messages/free-labels";
import { viewerOf } from "./viewer";

/**
 * Free labels on any message, or a report (`isReport`), outside the task flow. Values are in [0, 1]; the label
 * names are checked against the free or report list by the domain (error 2051).
 */
export const submitLabelsRoute = contributorProcedure
  .input(
    z.object({
      messageId: z.uuid(),
      labels: z.record(z.string().max(64), z.number().min(0).max(1)).default({}),
      text: z.string().max(10_000).optional(),
      isReport: z.boolean().default(false),
    }),
  )
  .output(ZFreeLabel)
  .mutation(({ ctx, input }) => submitFreeLabels(ctx.db, viewerOf(ctx), input, ctx.treeDeps));
