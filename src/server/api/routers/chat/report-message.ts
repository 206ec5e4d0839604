import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { chatReportType } from "@/server/db/schema";
import { ZChatMessage } from "@/server/domain/chat/dto";
import { reportMessage } from "@/server/domain/chat/messages";

export const ZReportMessageRequest = z.object({
  messageId: z.uuid(),
  reportType: z.enum(chatReportType.enumValues),
  reason: z.string().trim().max(2000, "The reason can be at most 2000 characters.").default(""),
});

export const reportMessageRoute = contributorProcedure
  .input(ZReportMessageRequest)
  .output(ZChatMessage)
  .mutation(({ ctx, input }) => reportMessage(ctx.db, ctx.user.id, input));
