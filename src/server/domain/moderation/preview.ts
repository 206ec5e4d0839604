import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx, Transaction } from "@/server/db/client";

/** Message counts before and after an operation (OA `SystemStats`). */
export const ZSystemStats = z.object({
  all: z.number().int(),
  active: z.number().int(),
  deleted: z.number().int(),
  messageTrees: z.number().int(),
});
export type SystemStats = z.infer<typeof ZSystemStats>;

export async function systemStats(tx: DbOrTx): Promise<SystemStats> {
  const [row] = await tx.execute<SystemStats>(sql`
    select count(*)::int as "all",
      (count(*) filter (where not deleted))::int as "active",
      (count(*) filter (where deleted))::int as "deleted",
      (count(*) filter (where parent_id is null))::int as "messageTrees"
    from messages`);
  return row ?? { all: 0, active: 0, deleted: 0, messageTrees: 0 };
}

export const previewResultSchema = <T extends z.ZodType>(result: T) =>
  z.object({ result, before: ZSystemStats, after: ZSystemStats, preview: z.boolean(), durationMs: z.number() });
export type PreviewResult<T> = { result: T; before: SystemStats; after: SystemStats; preview: boolean; durationMs: number };

class PreviewRollback<T> extends Error {
  constructor(readonly outcome: PreviewResult<T>) {
    super("preview rollback");
  }
}

/**
 * Runs a destructive operation in one transaction and reports the counts before and after. With `preview` the very
 * same code runs and the transaction is rolled back, so the dry run cannot drift from the real thing (OA admin
 * endpoints' `preview=true`).
 */
export async function withPreview<T>(db: DbOrTx, preview: boolean, work: (tx: Transaction) => Promise<T>): Promise<PreviewResult<T>> {
  const started = performance.now();
  try {
    return await db.transaction(async (tx) => {
      const before = await systemStats(tx);
      const result = await work(tx as Transaction);
      const outcome = { result, before, after: await systemStats(tx), preview, durationMs: 0 };
      if (preview) throw new PreviewRollback(outcome);
      return { ...outcome, durationMs: performance.now() - started };
    });
  } catch (error) {
    if (error instanceof PreviewRollback) return { ...(error.outcome as PreviewResult<T>), durationMs: performance.now() - started };
    throw error;
  }
}
