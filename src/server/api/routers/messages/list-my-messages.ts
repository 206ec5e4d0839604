import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { listMessages, ZMessagePage } from "@/server/domain/messages/pages";
import { viewerOf, ZPageInput } from "./viewer";

/** The caller's own messages, newest first ("Your recent messages"). */
export const listMyMessagesRoute = contributorProcedure
  .input(z.object(ZPageInput).default({ limit: 20 }))
  .output(ZMessagePage)
  .query(({ ctx, input }) => listMessages(ctx.db, viewerOf(ctx), { userId: ctx.user.id }, input));
