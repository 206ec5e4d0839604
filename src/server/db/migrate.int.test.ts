import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import * as schema from "@/server/db/schema";
import { expect, it } from "vitest";
import { setupTestDatabase } from "@/test/database";
import { migrateDatabase } from "./migrate";

const t = setupTestDatabase();

it("lets several processes migrate the same database at once", async () => {
  // The template is already migrated: concurrent re-runs must wait for each other and change nothing.
  await Promise.all([migrateDatabase(t.url), migrateDatabase(t.url), migrateDatabase(t.url)]);
  const applied = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  expect(applied[0]!.n).toBeGreaterThan(0);
  const tables = await t.db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  // Exactly the schema's tables: derived from it, so a new table needs no edit here.
  const declared = Object.values(schema).filter((value) => is(value, PgTable)).map((table) => getTableName(table as PgTable)).sort();
  expect(declared.length).toBeGreaterThan(20);
  expect(tables.map((row) => row.table_name)).toEqual(declared);
});
