import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

/**
 * Kills the server processes (backends) of every connection whose `application_name` is `applicationName`, as an
 * operator, a fail-over or an OOM killer would. Returns how many were terminated. Real PostgreSQL only (the
 * embedded server has no backends to kill; use the fault proxy there).
 */
export async function terminateBackends(admin: DbOrTx, applicationName: string): Promise<number> {
  const rows = await admin.execute<{ terminated: boolean }>(sql`
    select pg_terminate_backend(pid) as terminated
    from pg_stat_activity
    where application_name = ${applicationName} and pid <> pg_backend_pid()`);
  return [...rows].filter((row) => row.terminated).length;
}

/** Backends of `applicationName` currently connected (for waiting until a pool has noticed its losses). */
export async function countBackends(admin: DbOrTx, applicationName: string): Promise<number> {
  const [row] = await admin.execute<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity where application_name = ${applicationName}`);
  return row?.n ?? 0;
}
