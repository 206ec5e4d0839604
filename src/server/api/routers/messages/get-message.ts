import { contributorProcedure } from "@/server/api/trpc";
import { ZMessage } from "@/server/domain/messages/dto";
import { getMessage } from "@/server/domain/messages/reads";
import { viewerOf, ZMessageIdInput } from "./viewer";

export const getMessageRoute = contributorProcedure
  .input(ZMessageIdInput)
  .output(ZMessage)
  .query(({ ctx, input }) => getMessage(ctx.db, viewerOf(ctx), input.messageId));
