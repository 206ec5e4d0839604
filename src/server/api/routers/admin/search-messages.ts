import { moderatorProcedure } from "@/server/api/trpc";
import { z } from "zod";
import { getMessageAdminDetail, searchMessages, ZMessageAdminDetail, ZMessageSearch, ZMessageSearchPage } from "@/server/domain/admin/messages";
import { ZMessage } from "@/server/domain/messages/dto";
import { getMessage } from "@/server/domain/messages/reads";
import { viewerOf } from "../messages/viewer";

/** Messages newest first, filtered, with full-text or substring search over their text. */
export const searchMessagesRoute = moderatorProcedure
  .input(ZMessageSearch)
  .output(ZMessageSearchPage)
  .query(({ ctx, input }) => searchMessages(ctx.db, viewerOf(ctx), input));

/**
 * One message as the console's message page shows it: the message itself (deleted ones too), with its toxicity,
 * embedding status, label averages and reaction counts. A moderator procedure, so staff who never accepted the
 * contributor terms (the console does not ask) can open it; a message that does not exist is MESSAGE_NOT_FOUND.
 */
export const messageDetailRoute = moderatorProcedure
  .input(z.object({ messageId: z.uuid() }))
  .output(ZMessageAdminDetail.extend({ message: ZMessage }))
  .query(async ({ ctx, input }) => {
    const message = await getMessage(ctx.db, viewerOf(ctx), input.messageId);
    return { ...(await getMessageAdminDetail(ctx.db, input.messageId)), message };
  });
