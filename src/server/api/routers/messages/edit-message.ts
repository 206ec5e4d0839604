import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { ZMessage } from "@/server/domain/messages/dto";
import { editMessage } from "@/server/domain/messages/revisions";
import { viewerOf } from "./viewer";

/** Authors edit their own messages, moderators any; the length limit is the domain's (error 1008). */
export const editMessageRoute = contributorProcedure
  .input(z.object({ messageId: z.uuid(), text: z.string().max(100_000) }))
  .output(ZMessage)
  .mutation(({ ctx, input }) => editMessage(ctx.db, viewerOf(ctx), input));
