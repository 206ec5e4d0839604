import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { ZMessage } from "@/server/domain/messages/dto";
import { getTree } from "@/server/domain/messages/reads";
import { viewerOf, ZMessageIdInput } from "./viewer";

/** The whole tree of a message as a flat list (parents first); the client nests it by `parentId`. */
export const getTreeRoute = contributorProcedure
  .input(ZMessageIdInput)
  .output(z.object({ messageTreeId: z.uuid(), messages: z.array(ZMessage) }))
  .query(({ ctx, input }) => getTree(ctx.db, viewerOf(ctx), input.messageId));
