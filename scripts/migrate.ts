/** `npm run db:migrate`: applies the migrations in drizzle/ to DATABASE_URL (with-db.ts provides it). */
import { migrateDatabase } from "../src/server/db/migrate";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
await migrateDatabase(url);
console.log("[db] migrations applied");
