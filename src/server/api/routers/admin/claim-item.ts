import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { claimQueueItem, releaseQueueItem } from "@/server/domain/moderation/queue-actions";
import { ZQueueItem } from "@/server/domain/moderation/queue";
import { viewerOf } from "../messages/viewer";

const ZItemId = z.object({ itemId: z.uuid() });

/** Claims (or renews the claim on) one item; CONFLICT while another moderator holds it. */
export const claimItemRoute = moderatorProcedure
  .input(ZItemId)
  .output(ZQueueItem)
  .mutation(({ ctx, input }) => claimQueueItem(ctx.db, viewerOf(ctx), input.itemId));

/** Gives a claimed item back without reviewing it. */
export const releaseItemRoute = moderatorProcedure
  .input(ZItemId)
  .output(z.object({ itemId: z.uuid() }))
  .mutation(async ({ ctx, input }) => {
    await releaseQueueItem(ctx.db, viewerOf(ctx), input.itemId);
    return input;
  });
