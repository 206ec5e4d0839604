import { contributorProcedure } from "@/server/api/trpc";
import { getChat } from "@/server/domain/chat/chats";
import { ZChatDetail } from "@/server/domain/chat/dto";
import { ZChatId } from "./schemas";

/** The whole message tree (every branch) and the branch to show. */
export const getChatRoute = contributorProcedure
  .input(ZChatId)
  .output(ZChatDetail)
  .query(({ ctx, input }) => getChat(ctx.db, ctx.user.id, input.chatId));
