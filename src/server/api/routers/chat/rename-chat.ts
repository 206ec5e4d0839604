import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { updateChat } from "@/server/domain/chat/chats";
import { ZChatSummary } from "@/server/domain/chat/dto";
import { TITLE_MAX_LENGTH } from "@/server/domain/chat/messages";

export const ZRenameChatRequest = z.object({
  chatId: z.uuid(),
  title: z
    .string()
    .trim()
    .min(1, "The title cannot be empty.")
    .max(TITLE_MAX_LENGTH, `The title can be at most ${TITLE_MAX_LENGTH} characters.`),
});

export const renameChatRoute = contributorProcedure
  .input(ZRenameChatRequest)
  .output(ZChatSummary)
  .mutation(({ ctx, input }) => updateChat(ctx.db, ctx.user.id, input.chatId, { title: input.title }));
