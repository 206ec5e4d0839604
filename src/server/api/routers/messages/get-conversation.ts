import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { ZMessage } from "@/server/domain/messages/dto";
import { getConversation } from "@/server/domain/messages/reads";
import { viewerOf, ZMessageIdInput } from "./viewer";

/** Root → message, the thread a message answers. */
export const getConversationRoute = contributorProcedure
  .input(ZMessageIdInput)
  .output(z.object({ messages: z.array(ZMessage) }))
  .query(async ({ ctx, input }) => ({ messages: await getConversation(ctx.db, viewerOf(ctx), input.messageId) }));
