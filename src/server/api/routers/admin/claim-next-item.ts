import { moderatorProcedure } from "@/server/api/trpc";
import { claimNextQueueItem } from "@/server/domain/moderation/queue-actions";
import { ZQueueFilter, ZQueueItem } from "@/server/domain/moderation/queue";
import { viewerOf } from "../messages/viewer";

/** Claims the next open item nobody else holds (null when the queue is empty for these filters). */
export const claimNextItemRoute = moderatorProcedure
  .input(ZQueueFilter)
  .output(ZQueueItem.nullable())
  .mutation(({ ctx, input }) => claimNextQueueItem(ctx.db, viewerOf(ctx), input));
