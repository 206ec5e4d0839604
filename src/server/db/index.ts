import { PgDatabase } from "drizzle-orm/pg-core";
import { env } from "@/env";
import { connectDatabase, databaseSettingsFromEnv, type Database, type DatabaseConnection } from "./client";

export type { Database, DbOrTx, Transaction } from "./client";

const globalForDb = globalThis as unknown as { __oaDatabase?: DatabaseConnection };

/** The app's connection, opened on first use (never during `next build`) and kept across hot reloads. */
export function getDatabase(): Database {
  globalForDb.__oaDatabase ??= connectDatabase(env.DATABASE_URL, databaseSettingsFromEnv());
  return globalForDb.__oaDatabase.db;
}

/**
 * A lazy handle for libraries that want a database object at import time (Auth.js' Drizzle adapter checks
 * `is(db, PgDatabase)` when the module loads; stack-notes G14).
 */
export const db = new Proxy({} as Database, {
  get(_target, property) {
    const real = getDatabase() as unknown as Record<PropertyKey, unknown>;
    const value = real[property];
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(real) : value;
  },
  getPrototypeOf: () => PgDatabase.prototype,
});
