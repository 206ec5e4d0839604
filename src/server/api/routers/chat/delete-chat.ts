import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { deleteChat } from "@/server/domain/chat/chats";
import { ZChatId } from "./schemas";

/** Deletes the chat with all its messages for good. */
export const deleteChatRoute = contributorProcedure
  .input(ZChatId)
  .output(z.object({ deleted: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await deleteChat(ctx.db, ctx.user.id, input.chatId);
    return { deleted: true as const };
  });
