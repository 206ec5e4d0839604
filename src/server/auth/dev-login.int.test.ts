import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "@/server/db/schema";
import { isActiveUser } from "@/server/domain/users/access";
import { setupTestDatabase } from "@/test/database";
import { DEV_LOGIN_ROLES, signInDevUser, ZDevLogin } from "./dev-login";

/** Issue 11 item 4: the development sign-in keeps an existing user's role unless one is chosen; bans stay. */
const t = setupTestDatabase();

async function roleOf(id: string) {
  const [row] = await t.db.select({ role: users.role }).from(users).where(eq(users.id, id));
  return row!.role;
}

describe("development sign-in", () => {
  it("offers 'keep' as the default choice", () => {
    expect(ZDevLogin.parse({ name: "x" }).role).toBe("keep");
    expect(DEV_LOGIN_ROLES[0]).toBe("keep");
    expect(ZDevLogin.safeParse({ name: "x", role: "emperor" }).success).toBe(false);
  });

  it("creates a new user as a contributor, or with the role chosen", async () => {
    expect((await signInDevUser(t.db, { name: "Newcomer" })).role).toBe("general");
    expect((await signInDevUser(t.db, { name: "New Mod", role: "moderator" })).role).toBe("moderator");
  });

  it("keeps an existing moderator's role with the form's defaults, and changes it only when asked", async () => {
    const mo = await signInDevUser(t.db, { name: "Mo Moderator", role: "moderator" });
    const again = await signInDevUser(t.db, { name: "Mo Moderator" });
    expect(again.id).toBe(mo.id);
    expect(again.role).toBe("moderator");
    expect(await signInDevUser(t.db, { name: "Mo Moderator", role: "keep" })).toMatchObject({ role: "moderator" });
    expect(await signInDevUser(t.db, { name: "Mo Moderator", role: "general" })).toMatchObject({ role: "general" });
    expect(await roleOf(mo.id)).toBe("general");
  });

  it("cannot lift a ban (or a disabled account) by signing in again with any role", async () => {
    const banned = await signInDevUser(t.db, { name: "Troll" });
    // Choosing "banned" bans the account (and the sign-in callback then refuses it, as it refuses every later one).
    expect(await signInDevUser(t.db, { name: "Troll", role: "banned" })).toMatchObject({ id: banned.id, role: "banned" });
    for (const role of DEV_LOGIN_ROLES) {
      const row = await signInDevUser(t.db, { name: "Troll", role });
      expect(row.role, role).toBe("banned");
      expect(isActiveUser(row), role).toBe(false);
    }
    expect(await roleOf(banned.id)).toBe("banned");

    const disabled = await signInDevUser(t.db, { name: "Sleeper", role: "moderator" });
    await t.db.update(users).set({ enabled: false }).where(eq(users.id, disabled.id));
    const row = await signInDevUser(t.db, { name: "Sleeper", role: "admin" });
    expect(row).toMatchObject({ role: "moderator", enabled: false });
    expect(isActiveUser(row)).toBe(false);
  });
});
