import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { listFlaggedMessages, ZFlaggedPage } from "@/server/domain/moderation/flagged";
import { viewerOf, ZPageInput } from "../messages/viewer";

/** The red-flag queue, oldest first; processed entries only when asked for. */
export const listFlaggedMessagesRoute = moderatorProcedure
  .input(z.object({ ...ZPageInput, includeProcessed: z.boolean().default(false) }).default({ limit: 20, includeProcessed: false }))
  .output(ZFlaggedPage)
  .query(({ ctx, input }) => listFlaggedMessages(ctx.db, viewerOf(ctx), input));
