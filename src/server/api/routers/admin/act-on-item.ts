import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { actOnQueueItem, ZQueueAction } from "@/server/domain/moderation/queue-actions";
import { ZQueueItem } from "@/server/domain/moderation/queue";
import { viewerOf } from "../messages/viewer";
import { actorOf } from "../moderation/actor";

/** One action on a queue item (delete, halt, ban, … or reviewed/dismiss), checked against the version the moderator saw. */
export const actOnItemRoute = moderatorProcedure
  .input(z.object({ itemId: z.uuid(), version: z.number().int().min(1), action: ZQueueAction }))
  .output(ZQueueItem)
  .mutation(({ ctx, input }) => actOnQueueItem(ctx.db, actorOf(ctx), viewerOf(ctx), input, ctx.treeDeps));
