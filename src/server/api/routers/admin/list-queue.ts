import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { listQueue, ZQueueFilter, ZQueuePage } from "@/server/domain/moderation/queue";
import { viewerOf, ZPageInput } from "../messages/viewer";

/** The moderation queue: what needs a human, oldest (or newest) first, by kind and language. */
export const listQueueRoute = moderatorProcedure
  .input(ZQueueFilter.extend({ ...ZPageInput, resolved: z.boolean().default(false) }))
  .output(ZQueuePage)
  .query(({ ctx, input }) => listQueue(ctx.db, viewerOf(ctx), input));
