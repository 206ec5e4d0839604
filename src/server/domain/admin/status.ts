import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { queueStats, ZQueueStats } from "@/server/domain/chat/workers";
import type { Job, JobDeps } from "@/server/inngest/job";
import { listJobRuns, ZJobRunSummary } from "@/server/inngest/job-runs";
import { treeCounts, ZTreeCounts } from "./trees";

export const ZSystemStatus = z.object({
  trees: ZTreeCounts,
  tasks: z.array(z.object({ type: z.string(), open: z.number().int(), doneToday: z.number().int(), skippedToday: z.number().int() })),
  inferenceQueue: ZQueueStats,
  databaseBytes: z.number(),
  messages: z.number().int(),
  users: z.number().int(),
  /** Every cron and event job with its last runs (newest first). */
  jobs: z.array(ZJobRunSummary),
});
export type SystemStatus = z.infer<typeof ZSystemStatus>;

/**
 * The numbers an operator checks first. Message and user totals are the planner's estimates (`pg_class.reltuples`),
 * so the page stays instant on a database of millions of rows; a table never analyzed yet (-1) is counted instead.
 * The jobs and what decides whether each is on come from the caller (the job runtime's registry), so the domain does
 * not reach into the runtime.
 */
export async function systemStatus(db: DbOrTx, registry: { jobs: readonly Job[]; deps: JobDeps }): Promise<SystemStatus> {
  const [trees, tasks, inferenceQueue, totals, jobs] = await Promise.all([
    treeCounts(db),
    db.execute<{ type: string; open: number; done_today: number; skipped_today: number }>(sql`
      select type::text as type,
        (count(*) filter (where not done and not skipped and (expiry_date is null or expiry_date > now())))::int as open,
        (count(*) filter (where done and created_date >= date_trunc('day', now())))::int as done_today,
        (count(*) filter (where skipped and created_date >= date_trunc('day', now())))::int as skipped_today
      from tasks where created_date >= now() - interval '7 days' or not (done or skipped)
      group by type order by type`),
    queueStats(db),
    db.execute<{ bytes: string; messages: number; users: number }>(sql`
      select pg_database_size(current_database())::text as bytes,
        (select case when reltuples < 0 then (select count(*) from messages) else reltuples end from pg_class where oid = 'messages'::regclass)::bigint::int as messages,
        (select case when reltuples < 0 then (select count(*) from users) else reltuples end from pg_class where oid = 'users'::regclass)::bigint::int as users`),
    listJobRuns(db, registry.jobs, registry.deps),
  ]);
  const total = totals[0];
  return {
    trees,
    tasks: tasks.map((row) => ({ type: row.type, open: row.open, doneToday: row.done_today, skippedToday: row.skipped_today })),
    inferenceQueue,
    databaseBytes: Number(total?.bytes ?? 0),
    messages: total?.messages ?? 0,
    users: total?.users ?? 0,
    jobs,
  };
}
