import path from "node:path";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { connectDatabase } from "./client";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");

/** Any constant: it only needs to be the same in every process that migrates. */
const MIGRATION_LOCK_KEY = 727_001;

/**
 * Applies the generated migrations. A session-level advisory lock on a single connection makes concurrent
 * starters (two app instances, the app and the worker) wait for each other instead of racing.
 */
export async function migrateDatabase(url: string, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  const { db, close } = connectDatabase(url, { max: 1 });
  try {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    await migrate(db, { migrationsFolder });
    await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  } finally {
    await close();
  }
}
