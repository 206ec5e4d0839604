import { sql } from "drizzle-orm";
import { z } from "zod";
import { contributorProcedure, createTRPCRouter, publicProcedure } from "@/server/api/trpc";

const ZOk = z.object({ ok: z.literal(true) });

/**
 * Liveness checks for load balancers and the floors of the load benchmark (bench/load.ts): each does nothing beyond
 * the layer it names, so a procedure's cost can be read as a ratio to the cheapest call that passes the same layers.
 */
export const healthRouter = createTRPCRouter({
  /** The HTTP and tRPC layers alone. */
  ping: publicProcedure.output(ZOk).query(() => ({ ok: true as const })),
  /** One database round trip (`select 1`). */
  database: publicProcedure.output(ZOk).query(async ({ ctx }) => {
    await ctx.db.execute(sql`select 1`);
    return { ok: true as const };
  }),
  /** Everything a contributor call pays before its own work: the session and the user row. */
  session: contributorProcedure.output(ZOk).query(() => ({ ok: true as const })),
});
