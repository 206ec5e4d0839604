import { contributorProcedure } from "@/server/api/trpc";
import { createChat } from "@/server/domain/chat/chats";
import { ZChatSummary } from "@/server/domain/chat/dto";

export const createChatRoute = contributorProcedure.output(ZChatSummary).mutation(({ ctx }) => createChat(ctx.db, ctx.user.id));
