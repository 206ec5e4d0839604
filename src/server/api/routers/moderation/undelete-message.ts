import { moderatorProcedure } from "@/server/api/trpc";
import { undeleteMessage, ZSoftDeleteResult } from "@/server/domain/moderation/soft-delete";
import { ZMessageIdInput } from "../messages/viewer";

/** Restores a message and its ancestors (its descendants stay deleted). */
export const undeleteMessageRoute = moderatorProcedure
  .input(ZMessageIdInput)
  .output(ZSoftDeleteResult)
  .mutation(({ ctx, input }) => undeleteMessage(ctx.db, ctx.user.id, input.messageId, ctx.treeDeps));
