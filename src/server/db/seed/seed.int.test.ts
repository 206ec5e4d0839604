import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages, messageTreeStates, users } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { DEMO_USERS, seedDemoData } from "./seed";

const t = setupTestDatabase();

describe("seedDemoData", () => {
  it("fills an empty database with the demo users and the 100 oasst trees, once", async () => {
    const first = await seedDemoData(t.db);
    expect(first).toMatchObject({ seeded: true, users: DEMO_USERS.length });
    if (!first.seeded) throw new Error("unreachable");
    expect(first.trees).toMatchObject({ treesImported: 100, messagesImported: 1167, errors: [] });

    const [trees] = await t.db.select({ n: count() }).from(messageTreeStates).where(eq(messageTreeStates.state, "ready_for_export"));
    const [messageCount] = await t.db.select({ n: count() }).from(messages);
    expect(trees!.n).toBe(100);
    expect(messageCount!.n).toBe(1167);

    // A database with users in it is left alone.
    expect(await seedDemoData(t.db)).toEqual({ seeded: false });
    const [userCount] = await t.db.select({ n: count() }).from(users);
    expect(userCount!.n).toBe(DEMO_USERS.length);
  });

  it("gives the demo users accepted terms and their roles", async () => {
    const admin = await t.db.query.users.findFirst({ where: eq(users.name, "Ada Admin") });
    expect(admin).toMatchObject({ role: "admin", authMethod: "dev", username: "Ada Admin" });
    expect(admin?.tosAcceptanceDate).toBeInstanceOf(Date);
  });

  it("keeps depth and live children counts consistent with the trees", async () => {
    const rows = await t.db.select().from(messages);
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const row of rows) {
      const parent = row.parentId ? byId.get(row.parentId) : undefined;
      expect(row.depth).toBe(parent ? parent.depth + 1 : 0);
      const liveChildren = rows.filter((child) => child.parentId === row.id && !child.deleted).length;
      expect(row.childrenCount).toBe(liveChildren);
    }
  });
});
