import { moderatorProcedure } from "@/server/api/trpc";
import { loadQualitySummary, ZQualitySummary, ZQualitySummaryInput } from "@/server/domain/quality/summary";

/** Agreement per label, language and month, the least agreed sibling groups and reviewers (moderators only). */
export const getQualitySummaryRoute = moderatorProcedure
  .input(ZQualitySummaryInput)
  .output(ZQualitySummary)
  .query(({ ctx, input }) => loadQualitySummary(ctx.db, input));
