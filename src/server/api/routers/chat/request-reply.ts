import { z } from "zod";
import { rateLimited } from "@/server/api/rate-limit";
import { contributorProcedure } from "@/server/api/trpc";
import { getChatConfig } from "@/server/domain/chat/config";
import { ZChatMessage } from "@/server/domain/chat/dto";
import { requestReply } from "@/server/domain/chat/replies";
import { ZReplyOptions } from "./schemas";

export const ZRequestReplyRequest = ZReplyOptions.extend({
  /** The prompter message to answer; answering it again makes a sibling (a draft, or a retry after an error). */
  parentId: z.uuid(),
});

/** Queues a reply (state `pending`); follow it with `chat.streamReply`. Busy queue and per-user caps refuse it. */
export const requestReplyRoute = contributorProcedure
  .input(ZRequestReplyRequest)
  .use(rateLimited("chatReply"))
  .output(ZChatMessage)
  .mutation(({ ctx, input: { parentId, ...options } }) => requestReply(ctx.db, getChatConfig(), ctx.user.id, parentId, options));
