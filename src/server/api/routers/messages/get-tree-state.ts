import { contributorProcedure } from "@/server/api/trpc";
import { getTreeState, ZTreeState } from "@/server/domain/messages/reads";
import { viewerOf, ZMessageIdInput } from "./viewer";

export const getTreeStateRoute = contributorProcedure
  .input(ZMessageIdInput)
  .output(ZTreeState)
  .query(({ ctx, input }) => getTreeState(ctx.db, viewerOf(ctx), input.messageId));
