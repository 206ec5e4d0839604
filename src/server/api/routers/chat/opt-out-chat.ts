import { contributorProcedure } from "@/server/api/trpc";
import { updateChat } from "@/server/domain/chat/chats";
import { ZChatSummary } from "@/server/domain/chat/dto";
import { ZChatId } from "./schemas";

/** Excludes the chat from training data (dataset exports and draft evaluations); cannot be undone. */
export const optOutChatRoute = contributorProcedure
  .input(ZChatId)
  .output(ZChatSummary)
  .mutation(({ ctx, input }) => updateChat(ctx.db, ctx.user.id, input.chatId, { optOutOfDataUse: true }));
