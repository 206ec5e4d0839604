import { moderatorProcedure } from "@/server/api/trpc";
import { ZTreeState } from "@/server/domain/messages/reads";
import { unhaltTreeOfMessage } from "@/server/domain/moderation/halt";
import { ZMessageIdInput } from "../messages/viewer";

/** Restarts a stopped tree in the state its progress and reviews call for (spec §3.2, fix §8.8). */
export const unhaltTreeRoute = moderatorProcedure
  .input(ZMessageIdInput)
  .output(ZTreeState)
  .mutation(({ ctx, input }) => unhaltTreeOfMessage(ctx.db, ctx.user.id, input.messageId, ctx.treeDeps));
