import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, users } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import { applyRoleBootstrap, bootstrapRole } from "./roles-bootstrap";

const t = setupTestDatabase();
const none = { emails: [], keys: [] };

describe("bootstrapRole", () => {
  const lists = { admins: " discord:123 , Root@Example.org", moderators: "credentials:mod,google:9" };
  it("raises listed people and leaves everyone else alone", () => {
    expect(bootstrapRole("general", { emails: [], keys: ["discord:123"] }, lists)).toBe("admin");
    expect(bootstrapRole("moderator", { emails: ["root@example.org"], keys: [] }, lists)).toBe("admin");
    expect(bootstrapRole("general", { emails: [], keys: ["dev:mod"] }, lists)).toBe("moderator");
    expect(bootstrapRole("general", { emails: [], keys: ["google:9"] }, lists)).toBe("moderator");
    expect(bootstrapRole("general", { emails: [], keys: ["discord:1234"] }, lists)).toBe("general");
    expect(bootstrapRole("general", none, lists)).toBe("general");
  });
  it("never demotes and never lifts a ban given in the console", () => {
    expect(bootstrapRole("admin", { emails: [], keys: ["google:9"] }, lists)).toBe("admin");
    expect(bootstrapRole("banned", { emails: [], keys: ["discord:123"] }, lists)).toBe("banned");
    expect(bootstrapRole("admin", none, { admins: "", moderators: "" })).toBe("admin");
  });
});

describe("applyRoleBootstrap", () => {
  it("applies the lists to a signed-in user by linked account, email or development identity", async () => {
    const oauth = await createTestUser(t.db);
    await t.db.insert(accounts).values({ userId: oauth.id, type: "oauth", provider: "discord", providerAccountId: "777" });
    const byEmail = await createTestUser(t.db, { email: "Boss@Example.test" });
    const dev = await createTestUser(t.db, { authMethod: "dev", username: "Mo" });
    const lists = { admins: "discord:777,boss@example.test", moderators: "dev:Mo" };
    expect(await applyRoleBootstrap(t.db, oauth.id, lists)).toBe("admin");
    expect(await applyRoleBootstrap(t.db, byEmail.id, lists)).toBe("admin");
    expect(await applyRoleBootstrap(t.db, dev.id, lists)).toBe("moderator");
    const roles = await Promise.all([oauth, byEmail, dev].map(async (user) => (await t.db.select().from(users).where(eq(users.id, user.id)))[0]!.role));
    expect(roles).toEqual(["admin", "admin", "moderator"]);
    expect(await applyRoleBootstrap(t.db, undefined, lists)).toBeNull();
    expect(await applyRoleBootstrap(t.db, oauth.id, { admins: "", moderators: "" })).toBeNull();
  });
});
