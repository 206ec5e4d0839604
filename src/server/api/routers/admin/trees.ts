import { z } from "zod";
import { moderatorProcedure } from "@/server/api/trpc";
import { getTreeHistory, listTrees, treeCounts, ZTreeCounts, ZTreeHistory, ZTreeList, ZTreeListInput } from "@/server/domain/admin/trees";

/** Trees by state and language. */
export const treeCountsRoute = moderatorProcedure.output(ZTreeCounts).query(({ ctx }) => treeCounts(ctx.db));

/** Trees of a state/language, newest first. */
export const listTreesRoute = moderatorProcedure
  .input(ZTreeListInput)
  .output(ZTreeList)
  .query(({ ctx, input }) => listTrees(ctx.db, input));

/** A tree's state, state history and the moderator actions on it. */
export const treeHistoryRoute = moderatorProcedure
  .input(z.object({ treeId: z.uuid() }))
  .output(ZTreeHistory)
  .query(({ ctx, input }) => getTreeHistory(ctx.db, input.treeId));
