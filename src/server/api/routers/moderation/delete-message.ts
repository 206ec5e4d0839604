import { moderatorProcedure } from "@/server/api/trpc";
import { softDeleteMessage, ZSoftDeleteResult } from "@/server/domain/moderation/soft-delete";
import { ZMessageIdInput } from "../messages/viewer";

/** Soft-deletes a message and everything below it. */
export const deleteMessageRoute = moderatorProcedure
  .input(ZMessageIdInput)
  .output(ZSoftDeleteResult)
  .mutation(({ ctx, input }) => softDeleteMessage(ctx.db, ctx.user.id, input.messageId, ctx.treeDeps));
