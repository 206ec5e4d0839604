import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { hideAllChats } from "@/server/domain/chat/chats";

export const hideAllChatsRoute = contributorProcedure
  .output(z.object({ hidden: z.number().int() }))
  .mutation(async ({ ctx }) => ({ hidden: await hideAllChats(ctx.db, ctx.user.id) }));
