/**
 * `npm run db:migrate`: applies the migrations in drizzle/ to DATABASE_URL (with-db.ts provides it), or to
 * DATABASE_DIRECT_URL when set (required behind a transaction-mode pooler).
 */
import { migrateDatabase, migrationDatabaseUrl } from "../src/server/db/migrate";

await migrateDatabase(migrationDatabaseUrl());
console.log("[db] migrations applied");
