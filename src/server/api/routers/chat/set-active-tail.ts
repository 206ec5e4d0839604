import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { setActiveTail } from "@/server/domain/chat/chats";
import { ZChatSummary } from "@/server/domain/chat/dto";

/** The leaf the user is looking at after switching siblings; `chat.get` then shows its branch. */
export const setActiveTailRoute = contributorProcedure
  .input(z.object({ chatId: z.uuid(), messageId: z.uuid() }))
  .output(ZChatSummary)
  .mutation(({ ctx, input }) => setActiveTail(ctx.db, ctx.user.id, input.chatId, input.messageId));
