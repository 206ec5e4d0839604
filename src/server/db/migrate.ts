import path from "node:path";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { connectDatabase } from "./client";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");

/** Any constant: it only needs to be the same in every process that migrates. */
const MIGRATION_LOCK_KEY = 727_001;

/**
 * The URL migrations run against: `DATABASE_DIRECT_URL` when set, else `DATABASE_URL`. Behind a transaction-mode
 * pooler (`DATABASE_POOLER=transaction`) the direct URL is required: the migration lock is a session lock, and a
 * pooler would run the lock, the migration and the unlock on different server sessions (leaving the lock held).
 */
export function migrationDatabaseUrl(source: Record<string, string | undefined> = process.env): string {
  const direct = source.DATABASE_DIRECT_URL || undefined;
  if (direct) return direct;
  if (source.DATABASE_POOLER === "transaction") {
    throw new Error("DATABASE_POOLER=transaction: migrations need a session on the server itself; set DATABASE_DIRECT_URL to it (README \"Running several processes\")");
  }
  if (!source.DATABASE_URL) throw new Error("DATABASE_URL is not set");
  return source.DATABASE_URL;
}

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
