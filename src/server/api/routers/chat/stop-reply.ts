import { contributorProcedure } from "@/server/api/trpc";
import { ZChatMessage } from "@/server/domain/chat/dto";
import { stopReply } from "@/server/domain/chat/replies";
import { ZMessageId } from "./schemas";

/** Stop generating: a queued reply is cancelled; a running one ends within about a second, keeping its text. */
export const stopReplyRoute = contributorProcedure
  .input(ZMessageId)
  .output(ZChatMessage)
  .mutation(({ ctx, input }) => stopReply(ctx.db, ctx.user.id, input.messageId));
