import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { inferenceWorkers } from "@/server/db/schema";

/**
 * Worker registry. Workers register themselves in the database they are given (no API keys: access to the database
 * is the credential) and heartbeat; moderators read their health here (OA's `/workers/sessions`, unauthenticated there).
 */
export type WorkerRegistration = { name: string; engine: string; models: string[]; hostname: string };

export async function registerWorker(db: DbOrTx, registration: WorkerRegistration): Promise<string> {
  const [row] = await db.insert(inferenceWorkers).values(registration).returning({ id: inferenceWorkers.id });
  return row!.id;
}

export async function heartbeatWorker(db: DbOrTx, workerId: string, status: "online" | "draining" = "online"): Promise<void> {
  await db.update(inferenceWorkers).set({ lastHeartbeatAt: sql`now()`, status }).where(eq(inferenceWorkers.id, workerId));
}

export async function markWorkerOffline(db: DbOrTx, workerId: string): Promise<void> {
  await db.update(inferenceWorkers).set({ status: "offline", lastHeartbeatAt: sql`now()` }).where(eq(inferenceWorkers.id, workerId));
}

/** Workers that claim this model's jobs right now (fresh heartbeat, not draining): shown while a reply waits. */
export async function countWorkersServing(db: DbOrTx, model: string, staleMs: number): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`select (${workersServingCount(model, staleMs)}) as n`);
  return rows[0]?.n ?? 0;
}

/** The count above as a subquery, for statements that need it alongside other figures (the stream's queue line). */
export function workersServingCount(model: string, staleMs: number) {
  return sql`select count(*)::int from inference_workers
    where status = 'online' and last_heartbeat_at > now() - ${staleMs}::integer * interval '1 millisecond'
      and models @> jsonb_build_array(${model}::text)`;
}

export const ZWorkerHealth = z.object({
  id: z.uuid(),
  name: z.string(),
  engine: z.string(),
  models: z.array(z.string()),
  hostname: z.string(),
  /** `stale`: says it is online but has not been heard from — crashed or cut off; its jobs come back after their lease. */
  health: z.enum(["online", "draining", "stale", "offline"]),
  startedAt: z.date(),
  lastHeartbeatAt: z.date(),
  secondsSinceHeartbeat: z.number(),
  runningJobs: z.number().int(),
  jobsDone: z.number().int(),
  jobsFailed: z.number().int(),
});
export type WorkerHealth = z.infer<typeof ZWorkerHealth>;

export async function listWorkers(db: DbOrTx, options: { staleMs: number; includeOffline: boolean; limit: number }): Promise<WorkerHealth[]> {
  const rows = await db
    .select({
      worker: inferenceWorkers,
      age: sql<number>`extract(epoch from now() - ${inferenceWorkers.lastHeartbeatAt})::float8`,
      running: sql<number>`(select count(*)::int from inference_jobs j where j.lease_owner = ${inferenceWorkers.id} and j.status = 'running')`,
    })
    .from(inferenceWorkers)
    .where(options.includeOffline ? undefined : sql`${inferenceWorkers.status} <> 'offline'`)
    .orderBy(desc(inferenceWorkers.lastHeartbeatAt))
    .limit(options.limit);
  return rows.map(({ worker, age, running }) => ({
    id: worker.id,
    name: worker.name,
    engine: worker.engine,
    models: worker.models,
    hostname: worker.hostname,
    health: worker.status !== "offline" && age * 1000 > options.staleMs ? "stale" : worker.status,
    startedAt: worker.startedAt,
    lastHeartbeatAt: worker.lastHeartbeatAt,
    secondsSinceHeartbeat: Math.round(age * 10) / 10,
    runningJobs: running,
    jobsDone: worker.jobsDone,
    jobsFailed: worker.jobsFailed,
  }));
}

export const ZQueueStats = z.array(
  z.object({
    modelConfigName: z.string(),
    queued: z.number().int(),
    running: z.number().int(),
    /** Seconds the oldest queued job has waited. */
    oldestQueuedSeconds: z.number().nullable(),
  }),
);

export async function queueStats(db: DbOrTx): Promise<z.infer<typeof ZQueueStats>> {
  const rows = await db.execute<{ model: string; queued: number; running: number; oldest: number | null }>(sql`
    select model_config_name as model,
      count(*) filter (where status = 'queued')::int as queued,
      count(*) filter (where status = 'running')::int as running,
      extract(epoch from now() - min(enqueued_at) filter (where status = 'queued'))::float8 as oldest
    from inference_jobs where status in ('queued', 'running') group by model_config_name order by model_config_name`);
  return [...rows].map((row) => ({ modelConfigName: row.model, queued: row.queued, running: row.running, oldestQueuedSeconds: row.oldest }));
}
