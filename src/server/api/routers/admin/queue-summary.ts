import { moderatorProcedure } from "@/server/api/trpc";
import { queueSummary, ZQueueSummary } from "@/server/domain/moderation/queue";

/** Open items by kind, the oldest one's detection time and today's reviews (the console's home). */
export const queueSummaryRoute = moderatorProcedure.output(ZQueueSummary).query(({ ctx }) => queueSummary(ctx.db));
