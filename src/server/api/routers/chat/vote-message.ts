import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { ZChatMessage } from "@/server/domain/chat/dto";
import { voteMessage } from "@/server/domain/chat/messages";

export const ZVoteMessageRequest = z.object({
  messageId: z.uuid(),
  /** +1, -1, or 0 to take the vote back. */
  score: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
});

export const voteMessageRoute = contributorProcedure
  .input(ZVoteMessageRequest)
  .output(ZChatMessage)
  .mutation(({ ctx, input }) => voteMessage(ctx.db, ctx.user.id, input.messageId, input.score));
