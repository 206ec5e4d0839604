import { z } from "zod";
import { rateLimited } from "@/server/api/rate-limit";
import { contributorProcedure } from "@/server/api/trpc";
import { getChatConfig } from "@/server/domain/chat/config";
import { ZChatMessage } from "@/server/domain/chat/dto";
import { regenerateDrafts } from "@/server/domain/chat/replies";
import { ZRegenerateReplyRequest } from "./regenerate-reply";

/**
 * Regenerate as drafts: NUM_GENERATED_DRAFTS new siblings of an assistant reply (one in an opted-out chat), to be
 * followed with `streamReply` each and picked with `chooseDraft`.
 */
export const regenerateDraftsRoute = contributorProcedure
  .input(ZRegenerateReplyRequest)
  .use(rateLimited("chatReply"))
  .output(z.array(ZChatMessage))
  .mutation(({ ctx, input: { messageId, ...options } }) => regenerateDrafts(ctx.db, getChatConfig(), ctx.user.id, messageId, options));
