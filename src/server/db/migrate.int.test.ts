import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { setupTestDatabase } from "@/test/database";
import { migrateDatabase } from "./migrate";

const t = setupTestDatabase();

it("lets several processes migrate the same database at once", async () => {
  // The template is already migrated: concurrent re-runs must wait for each other and change nothing.
  await Promise.all([migrateDatabase(t.url), migrateDatabase(t.url), migrateDatabase(t.url)]);
  const applied = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  expect(applied[0]!.n).toBeGreaterThan(0);
  const tables = await t.db.execute<{ n: number }>(
    sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
  );
  expect(tables[0]!.n).toBe(27);
});
