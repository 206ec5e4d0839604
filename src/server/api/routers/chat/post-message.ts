import { z } from "zod";
import { rateLimited } from "@/server/api/rate-limit";
import { contributorProcedure } from "@/server/api/trpc";
import { getChatConfig } from "@/server/domain/chat/config";
import { ZChatMessage } from "@/server/domain/chat/dto";
import { postPrompt } from "@/server/domain/chat/replies";
import { ZMessageContent, ZReplyOptions } from "./schemas";

export const ZPostMessageRequest = z.object({
  chatId: z.uuid(),
  /** null for the first message; else the complete assistant message it answers. Another message under the same
   *  parent is an edit: a sibling branch. */
  parentId: z.uuid().nullable(),
  content: ZMessageContent,
  /** Also ask for the assistant's reply, in the same transaction (refused together when the queue is busy). */
  reply: ZReplyOptions.optional(),
});

export const postMessageRoute = contributorProcedure
  .input(ZPostMessageRequest)
  // Only a message that also asks for a reply counts toward the reply limit (OA limited assistant_message alone).
  .use(
    rateLimited<{ user: { id: string } }, z.infer<typeof ZPostMessageRequest>>(({ ctx, input }) =>
      input.reply ? { policy: "chatReply", identifier: ctx.user.id } : null,
    ),
  )
  .output(z.object({ prompt: ZChatMessage, reply: ZChatMessage.nullable() }))
  .mutation(({ ctx, input }) => postPrompt(ctx.db, getChatConfig(), ctx.user.id, input));
