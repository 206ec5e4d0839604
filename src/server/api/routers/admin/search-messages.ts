import { moderatorProcedure } from "@/server/api/trpc";
import { z } from "zod";
import { getMessageAdminDetail, searchMessages, ZMessageAdminDetail, ZMessageSearch } from "@/server/domain/admin/messages";
import { ZMessagePage } from "@/server/domain/messages/pages";
import { viewerOf } from "../messages/viewer";

/** Messages newest first, filtered, with full-text or substring search over their text. */
export const searchMessagesRoute = moderatorProcedure
  .input(ZMessageSearch)
  .output(ZMessagePage)
  .query(({ ctx, input }) => searchMessages(ctx.db, viewerOf(ctx), input));

/** Toxicity, embedding status, label averages and reaction counts of one message (the console's message page). */
export const messageDetailRoute = moderatorProcedure
  .input(z.object({ messageId: z.uuid() }))
  .output(ZMessageAdminDetail)
  .query(({ ctx, input }) => getMessageAdminDetail(ctx.db, input.messageId));
