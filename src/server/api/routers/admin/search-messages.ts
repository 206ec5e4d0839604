import { moderatorProcedure } from "@/server/api/trpc";
import { searchMessages, ZMessageSearch } from "@/server/domain/admin/messages";
import { ZMessagePage } from "@/server/domain/messages/pages";
import { viewerOf } from "../messages/viewer";

/** Messages newest first, filtered, with full-text or substring search over their text. */
export const searchMessagesRoute = moderatorProcedure
  .input(ZMessageSearch)
  .output(ZMessagePage)
  .query(({ ctx, input }) => searchMessages(ctx.db, viewerOf(ctx), input));
