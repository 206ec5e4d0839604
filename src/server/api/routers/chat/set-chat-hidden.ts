import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { updateChat } from "@/server/domain/chat/chats";
import { ZChatSummary } from "@/server/domain/chat/dto";

/** Hide (leaves the list, kept in the database) or unhide (OA had no unhide, spec §1.4). */
export const setChatHiddenRoute = contributorProcedure
  .input(z.object({ chatId: z.uuid(), hidden: z.boolean() }))
  .output(ZChatSummary)
  .mutation(({ ctx, input }) => updateChat(ctx.db, ctx.user.id, input.chatId, { hidden: input.hidden }));
