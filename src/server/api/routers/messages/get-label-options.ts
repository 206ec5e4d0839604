import { contributorProcedure } from "@/server/api/trpc";
import { getLabelOptions, ZLabelOptions } from "@/server/domain/messages/free-labels";
import { viewerOf, ZMessageIdInput } from "./viewer";

/** The labels the Label and Report dialogs offer for a message, with the caller's earlier values. */
export const getLabelOptionsRoute = contributorProcedure
  .input(ZMessageIdInput)
  .output(ZLabelOptions)
  .query(({ ctx, input }) => getLabelOptions(ctx.db, viewerOf(ctx), input.messageId));
