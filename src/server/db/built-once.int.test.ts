import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { findUserById } from "@/server/domain/users/queries";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import { connectDatabase } from "./client";
import { users } from "./schema";

const t = setupTestDatabase();

describe("builtOnce: a query's SQL built once per handle, run with new values", () => {
  it("answers each call with its own values, and is still a statement the server parses once per connection", async () => {
    const { db, close } = connectDatabase(t.url, { max: 1 });
    try {
      const [ada, bob] = [await createTestUser(db, { name: "Ada" }), await createTestUser(db, { name: "Bob" })];
      expect((await findUserById(db, ada.id))?.name).toBe("Ada");
      expect((await findUserById(db, bob.id))?.name).toBe("Bob");
      expect(await findUserById(db, crypto.randomUUID())).toBeNull();
      const prepared = await db.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`);
      expect(prepared.filter(({ statement }) => statement.includes(`from "users" where "users"."id" = $1`))).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it("runs in the transaction it was built on, not on the pool beside it", async () => {
    const id = crypto.randomUUID();
    expect(await findUserById(t.db, id)).toBeNull();
    await t.db.transaction(async (tx) => {
      await tx.insert(users).values({ id, name: "Uncommitted", email: `uncommitted-${id}@example.test` });
      // Built on the pool first: the transaction's call must still be its own query, which sees the uncommitted row.
      expect((await findUserById(tx, id))?.name).toBe("Uncommitted");
      tx.rollback();
    }).catch((error: unknown) => {
      if (!(error instanceof Error && error.message.includes("Rollback"))) throw error;
    });
    expect(await findUserById(t.db, id)).toBeNull();
  });
});
