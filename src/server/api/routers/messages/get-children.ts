import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { ZMessage } from "@/server/domain/messages/dto";
import { getChildren } from "@/server/domain/messages/reads";
import { viewerOf, ZMessageIdInput } from "./viewer";

export const getChildrenRoute = contributorProcedure
  .input(ZMessageIdInput)
  .output(z.object({ messages: z.array(ZMessage) }))
  .query(async ({ ctx, input }) => ({ messages: await getChildren(ctx.db, viewerOf(ctx), input.messageId) }));
