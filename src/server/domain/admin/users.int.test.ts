import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";
import { uuidPrefixRange } from "./users";

const t = setupTestDatabase();

describe("admin.users search", () => {
  it("finds users by name, username, email and id prefix, case-insensitively, newest first, paged", async () => {
    const moderator = await createTestUser(t.db, { role: "moderator" });
    const zed = await createTestUser(t.db, { name: "Zebulon Quux", email: "zq@example.test" });
    const zelda = await createTestUser(t.db, { name: "zelda", username: "ZeldaBot", authMethod: "discord" });
    await createTestUser(t.db, { name: "100% Real_Name" });
    const search = (q: string, extra: object = {}) => callerFor(t.db, moderator.id).admin.users({ q, ...extra });
    expect((await search("ZE")).items.map((user) => user.id)).toEqual([zelda.id, zed.id]);
    expect((await search("zeldab")).items.map((user) => user.id)).toEqual([zelda.id]);
    expect((await search("ZQ@EX")).items.map((user) => user.id)).toEqual([zed.id]);
    expect((await search(zed.id.slice(0, 8).toUpperCase())).items.map((user) => user.id)).toContain(zed.id);
    expect((await search("ze", { authMethod: "discord" })).items.map((user) => user.id)).toEqual([zelda.id]);
    // LIKE wildcards in the query are plain characters.
    expect((await search("100%")).items).toHaveLength(1);
    expect((await search("_")).items).toHaveLength(0);
    const first = await search("ze", { limit: 1 });
    expect(first).toMatchObject({ hasMore: true, items: [{ id: zelda.id }] });
    expect(JSON.stringify(first)).not.toContain("@example.test");
    expect(await search("ze", { limit: 1, cursor: first.nextCursor })).toMatchObject({ hasMore: false, nextCursor: null, items: [{ id: zed.id }] });
  });

  it("pages by keyset: users created meanwhile neither repeat nor shift a page, and a bad cursor is a typed error", async () => {
    const moderator = await createTestUser(t.db, { role: "moderator" });
    // Explicit creation times a second apart: on the embedded server two inserts can share a clock tick, and the page
    // order of equal times (by id) is not what this test is about.
    const base = Date.now() - 60_000;
    for (let i = 0; i < 5; i++) await createTestUser(t.db, { name: `Keyset ${i}`, createdAt: new Date(base + i * 1000) });
    const search = (extra: object) => callerFor(t.db, moderator.id).admin.users({ q: "keyset", limit: 2, ...extra });
    const one = await search({});
    await createTestUser(t.db, { name: "Keyset newcomer" });
    const two = await search({ cursor: one.nextCursor });
    const three = await search({ cursor: two.nextCursor });
    const names = [...one.items, ...two.items, ...three.items].map((user) => user.displayName);
    expect(names).toEqual(["Keyset 4", "Keyset 3", "Keyset 2", "Keyset 1", "Keyset 0"]);
    expect(three).toMatchObject({ hasMore: false, nextCursor: null });
    await expectAppError(search({ cursor: "not-a-cursor" }), { code: "BAD_REQUEST" });
  });

  it("turns an id prefix into a range of the primary key", () => {
    expect(uuidPrefixRange("3FA8")).toEqual(["3fa80000-0000-0000-0000-000000000000", "3fa8ffff-ffff-ffff-ffff-ffffffffffff"]);
    expect(uuidPrefixRange("3fa85f64-57")).toEqual(["3fa85f64-5700-0000-0000-000000000000", "3fa85f64-57ff-ffff-ffff-ffffffffffff"]);
    expect(uuidPrefixRange("abc")).toBeNull();
    expect(uuidPrefixRange("zebu")).toBeNull();
  });

  it("shows a user's page with stats per time frame, tasks and reports against them", async () => {
    const moderator = await createTestUser(t.db, { role: "moderator" });
    const user = await createTestUser(t.db, { name: "Detail" });
    const detail = await callerFor(t.db, moderator.id).admin.userDetail({ userId: user.id });
    expect(detail.user).toMatchObject({ id: user.id, displayName: "Detail" });
    expect(detail.stats.map((frame) => frame.timeFrame)).toEqual(["day", "week", "month", "total"]);
    expect(detail.reportsAgainst).toBe(0);
    await expectAppError(callerFor(t.db, moderator.id).admin.userDetail({ userId: crypto.randomUUID() }), { code: "NOT_FOUND" });
  });
});

describe("moderation.updateUser concurrency", () => {
  it("gives a CONFLICT when the user changed since the moderator looked (no silent overwrite)", async () => {
    const moderator = await createTestUser(t.db, { role: "moderator" });
    const other = await createTestUser(t.db, { role: "moderator" });
    const user = await createTestUser(t.db, { notes: "" });
    await callerFor(t.db, other.id).moderation.updateUser({ userId: user.id, notes: "first", expected: { notes: "" } });
    await expectAppError(
      callerFor(t.db, moderator.id).moderation.updateUser({ userId: user.id, notes: "second", expected: { notes: "" } }),
      { code: "CONFLICT" },
    );
    expect((await t.db.select().from(users).where(eq(users.id, user.id)))[0]!.notes).toBe("first");
  });

  it("never leaves the site without an admin when two admins demote each other at once", async () => {
    const a = await createTestUser(t.db, { role: "admin" });
    const b = await createTestUser(t.db, { role: "admin" });
    // Only these two are admins in this race.
    await t.db.update(users).set({ role: "general" }).where(eq(users.role, "admin"));
    await t.db.update(users).set({ role: "admin" }).where(inArray(users.id, [a.id, b.id]));
    const results = await Promise.allSettled([
      callerFor(t.db, a.id).moderation.updateUser({ userId: b.id, role: "general" }),
      callerFor(t.db, b.id).moderation.updateUser({ userId: a.id, role: "general" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    await expectAppError(Promise.reject(refused.reason), { code: "FORBIDDEN" });
    expect(String(refused.reason)).toMatch(/no longer an administrator/);
    const admins = await t.db.select().from(users).where(eq(users.role, "admin"));
    expect(admins).toHaveLength(1);
  });
});
