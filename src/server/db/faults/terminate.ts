import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

/**
 * Kills the server processes (backends) of every connection whose `application_name` is `applicationName`, as an
 * operator, a fail-over or an OOM killer would. Returns how many were terminated. Real PostgreSQL only (the
 * embedded server has no backends to kill; use the fault proxy there).
 */
export async function terminateBackends(admin: DbOrTx, applicationName: string): Promise<number> {
  return (await terminateBackendPids(admin, applicationName)).length;
}

/** `terminateBackends`, returning the process ids it signalled (to wait for them to exit, `backendsExited`). */
export async function terminateBackendPids(admin: DbOrTx, applicationName: string): Promise<number[]> {
  const rows = await admin.execute<{ pid: number; terminated: boolean }>(sql`
    select pid, pg_terminate_backend(pid) as terminated
    from pg_stat_activity
    where application_name = ${applicationName} and pid <> pg_backend_pid()`);
  return [...rows].filter((row) => row.terminated).map((row) => row.pid);
}

/**
 * Whether every one of these backends has exited. `pg_terminate_backend` only signals: until a backend has exited,
 * a connection of it may still take a call and lose it (the kill is still happening, not over).
 */
export async function backendsExited(admin: DbOrTx, pids: readonly number[]): Promise<boolean> {
  if (pids.length === 0) return true;
  const [row] = await admin.execute<{ n: number }>(sql`
    select count(*)::int as n from pg_stat_activity where pid = any(${`{${pids.join(",")}}`}::int[])`);
  return (row?.n ?? 0) === 0;
}

/** Backends of `applicationName` currently connected (for waiting until a pool has noticed its losses). */
export async function countBackends(admin: DbOrTx, applicationName: string): Promise<number> {
  const [row] = await admin.execute<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity where application_name = ${applicationName}`);
  return row?.n ?? 0;
}
