import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { previewResultSchema } from "@/server/domain/moderation/preview";
import { purgeTreeOfMessage, ZPurgeCounts } from "@/server/domain/moderation/purge-ops";

/** Hard-deletes the tree a message belongs to; `preview` (the default) only reports what would go. */
export const purgeTreeRoute = moderatorProcedure
  .input(z.object({ messageId: z.uuid(), preview: z.boolean().default(true) }))
  .output(previewResultSchema(ZPurgeCounts))
  .mutation(({ ctx, input }) => purgeTreeOfMessage(ctx.db, ctx.user.id, input, ctx.treeDeps));
