import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { listMessages, ZMessagePage } from "@/server/domain/messages/pages";
import { viewerOf, ZPageInput } from "../messages/viewer";

/** The moderators' message table: any user's or language's messages, deleted ones on request. */
export const listMessagesRoute = moderatorProcedure
  .input(
    z.object({
      userId: z.uuid().optional(),
      lang: z.string().trim().min(2).max(32).optional(),
      includeDeleted: z.boolean().default(true),
      ...ZPageInput,
    }),
  )
  .output(ZMessagePage)
  .query(({ ctx, input }) => listMessages(ctx.db, viewerOf(ctx), input, input));
