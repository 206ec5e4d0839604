import { moderatorProcedure } from "@/server/api/trpc";
import { ZTreeState } from "@/server/domain/messages/reads";
import { haltTreeOfMessage } from "@/server/domain/moderation/halt";
import { ZMessageIdInput } from "../messages/viewer";

/** Stops the tree of a message (`halted_by_moderator`): no more tasks are handed out for it. */
export const haltTreeRoute = moderatorProcedure
  .input(ZMessageIdInput)
  .output(ZTreeState)
  .mutation(({ ctx, input }) => haltTreeOfMessage(ctx.db, ctx.user.id, input.messageId, ctx.treeDeps));
