import { z } from "zod";
import { contributorProcedure } from "@/server/api/trpc";
import { listRevisions, ZRevision } from "@/server/domain/messages/revisions";
import { viewerOf, ZMessageIdInput } from "./viewer";

export const listRevisionsRoute = contributorProcedure
  .input(ZMessageIdInput)
  .output(z.object({ revisions: z.array(ZRevision) }))
  .query(async ({ ctx, input }) => ({ revisions: await listRevisions(ctx.db, viewerOf(ctx), input.messageId) }));
