import { moderatorProcedure } from "@/server/api/trpc";
import { queueStats, ZQueueStats } from "@/server/domain/chat/workers";

/** Queued and running replies per model, with the oldest wait. */
export const queueStatsRoute = moderatorProcedure.output(ZQueueStats).query(({ ctx }) => queueStats(ctx.db));
