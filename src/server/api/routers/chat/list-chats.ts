import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { listChats } from "@/server/domain/chat/chats";
import { ZChatSummary } from "@/server/domain/chat/dto";

export const ZListChatsRequest = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  /** `nextCursor` of the previous page (works with `useInfiniteQuery`): older chats. */
  cursor: z.string().max(200).nullish(),
  /** `prevCursor` of a page: the newer chats before it. Not together with `cursor`. */
  before: z.string().max(200).nullish(),
  includeHidden: z.boolean().default(false),
});

export const ZListChatsResponse = z.object({ chats: z.array(ZChatSummary), nextCursor: z.string().nullable(), prevCursor: z.string().nullable() });

export const listChatsRoute = contributorProcedure
  .input(ZListChatsRequest)
  .output(ZListChatsResponse)
  .query(({ ctx, input }) => listChats(ctx.db, ctx.user.id, input));
