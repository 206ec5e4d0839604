import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { findUserById } from "@/server/domain/users/queries";
import { setupTestDatabase } from "@/test/database";
import { connectDatabase } from "./client";
import { users } from "./schema";

const t = setupTestDatabase();

/** The statements prepared in the (one) session of `db` whose text contains `marker`. */
async function preparedWith(db: ReturnType<typeof connectDatabase>["db"], marker: string): Promise<string[]> {
  const rows = await db.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`);
  return rows.map((row) => row.statement).filter((statement) => statement.includes(marker));
}

describe("queries as named prepared statements (issue 15: one round trip per statement)", () => {
  it("prepares drizzle's queries once per connection, inside transactions and savepoints too", async () => {
    const { db, close } = connectDatabase(t.url, { max: 1 });
    try {
      for (let i = 0; i < 3; i++) await db.select({ id: users.id }).from(users).where(eq(users.id, randomUUID()));
      await db.transaction(async (tx) => {
        await tx.execute(sql`select ${1}::int as prepared_in_transaction`);
        await tx.transaction((savepoint) => savepoint.execute(sql`select ${2}::int as prepared_in_savepoint`));
      });
      // Run three times, parsed once.
      expect(await preparedWith(db, `select "id" from "users" where "users"."id" = $1`)).toHaveLength(1);
      expect(await preparedWith(db, "prepared_in_transaction")).toHaveLength(1);
      expect(await preparedWith(db, "prepared_in_savepoint")).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it("prepares nothing behind a transaction-mode pooler (the next transaction may run in another session)", async () => {
    const { db, close } = connectDatabase(t.url, { max: 1, pooler: "transaction" });
    try {
      await db.execute(sql`select ${3}::int as unnamed_behind_pooler`);
      await db.transaction((tx) => tx.execute(sql`select ${4}::int as unnamed_behind_pooler_in_transaction`));
      expect(await preparedWith(db, "unnamed_behind_pooler")).toEqual([]);
      // Queries built once (`builtOnce`) are drizzle "prepared" queries, which ask for a named statement: the pool's
      // own setting still wins.
      // (Its text, not the first test's: on the embedded server every connection shares one session.)
      await findUserById(db, randomUUID());
      expect(await preparedWith(db, `from "users" where "users"."id" = $1 limit`)).toEqual([]);
    } finally {
      await close();
    }
  });
});
