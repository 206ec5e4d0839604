import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { listMessages, ZMessagePage } from "@/server/domain/messages/pages";
import { viewerOf, ZPageInput } from "./viewer";

/** Recent messages in a language, newest first ("Recent messages in {language}"). */
export const listRecentMessagesRoute = contributorProcedure
  .input(z.object({ lang: z.string().trim().min(2).max(32), ...ZPageInput }))
  .output(ZMessagePage)
  .query(({ ctx, input }) => listMessages(ctx.db, viewerOf(ctx), { lang: input.lang }, input));
