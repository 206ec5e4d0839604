import { z } from "zod";
import { rateLimited } from "@/server/api/rate-limit";
import { contributorProcedure } from "@/server/api/trpc";
import { getChatConfig } from "@/server/domain/chat/config";
import { ZChatMessage } from "@/server/domain/chat/dto";
import { regenerateReply } from "@/server/domain/chat/replies";
import { ZReplyOptions } from "./schemas";

export const ZRegenerateReplyRequest = ZReplyOptions.partial().extend({ messageId: z.uuid() });

/** A new sibling of an assistant reply with its settings (a fresh seed); any option given replaces the old one. */
export const regenerateReplyRoute = contributorProcedure
  .input(ZRegenerateReplyRequest)
  .use(rateLimited("chatReply"))
  .output(ZChatMessage)
  .mutation(({ ctx, input: { messageId, ...options } }) => regenerateReply(ctx.db, getChatConfig(), ctx.user.id, messageId, options));
