import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, journal, messageTreeStates, sessions, users } from "@/server/db/schema";
import { insertTestMessage, insertTestTree, readTestMessage } from "@/server/domain/messages/test-fixtures";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();

async function linkAccount(userId: string, provider: string, type: "oauth" | "email" = "oauth") {
  await t.db.insert(accounts).values({
    userId,
    type,
    provider,
    providerAccountId: `${provider}-${crypto.randomUUID()}`,
    access_token: "secret-access-token",
    refresh_token: "secret-refresh-token",
    id_token: "secret-id-token",
  });
}

describe("users.linkedAccounts", () => {
  it("lists the caller's sign-in providers by name only, never tokens or provider ids", async () => {
    const user = await createTestUser(t.db);
    const other = await createTestUser(t.db);
    await linkAccount(user.id, "google");
    await linkAccount(user.id, "discord");
    await linkAccount(other.id, "github");
    const linked = await callerFor(t.db, user.id).users.linkedAccounts();
    expect(linked).toEqual({
      authMethod: "web",
      accounts: [{ provider: "discord", type: "oauth" }, { provider: "google", type: "oauth" }],
    });
    expect(JSON.stringify(linked)).not.toMatch(/secret|discord-|google-/);
  });

  it("is empty for a development user and works before the terms are accepted", async () => {
    const user = await createTestUser(t.db, { authMethod: "dev", username: `dev-${crypto.randomUUID()}`, tosAcceptanceDate: null });
    expect(await callerFor(t.db, user.id).users.linkedAccounts()).toEqual({ authMethod: "dev", accounts: [] });
  });

  it("needs a signed-in user", async () => {
    await expectAppError(callerFor(t.db, null).users.linkedAccounts(), { code: "UNAUTHORIZED" });
  });
});

describe("users.deleteAccount", () => {
  it("anonymises the caller, keeps their content and removes their sign-in links and sessions", async () => {
    const user = await createTestUser(t.db, { name: "Leaving Lee", image: "https://example.test/lee.png" });
    const reader = await createTestUser(t.db);
    await linkAccount(user.id, "google");
    await t.db.insert(sessions).values({ sessionToken: crypto.randomUUID(), userId: user.id, expires: new Date(Date.now() + 86_400_000) });
    const root = await insertTestTree(t.db, { userId: reader.id });
    const reply = await insertTestMessage(t.db, { userId: user.id, parent: root, text: "A reply that stays" });

    expect(await callerFor(t.db, user.id).users.deleteAccount()).toEqual({ deleted: true });

    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({
      deleted: true, name: "Deleted User", username: `deleted_${user.id}`, email: null, image: null, showOnLeaderboard: false,
    });
    expect(await t.db.select().from(accounts).where(eq(accounts.userId, user.id))).toHaveLength(0);
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    // The content stays in the tree, shown under the anonymous name.
    expect((await readTestMessage(t.db, reply.id))!).toMatchObject({ text: "A reply that stays", deleted: false });
    expect(await callerFor(t.db, reader.id).messages.get({ messageId: reply.id })).toMatchObject({ authorName: "Deleted User" });
    const events = await t.db.select().from(journal).where(and(eq(journal.userId, user.id), eq(journal.eventType, "moderation_delete_user")));
    expect(events).toMatchObject([{ eventPayload: { userId: user.id, selfService: true } }]);
  });

  it("signs the account out for good: every later call is refused", async () => {
    const user = await createTestUser(t.db);
    const caller = callerFor(t.db, user.id);
    await caller.users.deleteAccount();
    await expectAppError(caller.users.me(), { code: "FORBIDDEN", appCode: "USER_DISABLED" });
    await expectAppError(caller.users.deleteAccount(), { code: "FORBIDDEN", appCode: "USER_DISABLED" });
  });

  it("takes the caller's waiting prompts out of the lottery", async () => {
    const user = await createTestUser(t.db);
    const tree = await insertTestTree(t.db, { userId: user.id, state: "prompt_lottery_waiting" });
    await callerFor(t.db, user.id).users.deleteAccount();
    const [state] = await t.db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, tree.id));
    expect(state).toMatchObject({ state: "halted_by_moderator", active: false });
  });

  it("lets moderators and admins delete their own account (the moderator path refuses self-deletion)", async () => {
    const admin = await createTestUser(t.db, { role: "admin" });
    await expectAppError(callerFor(t.db, admin.id).moderation.deleteUser({ userId: admin.id }), { code: "FORBIDDEN" });
    await callerFor(t.db, admin.id).users.deleteAccount();
    const [row] = await t.db.select().from(users).where(eq(users.id, admin.id));
    expect(row!.deleted).toBe(true);
  });

  it("deletes only the caller", async () => {
    const user = await createTestUser(t.db);
    const bystander = await createTestUser(t.db, { name: "Still Here" });
    await callerFor(t.db, user.id).users.deleteAccount();
    expect(await callerFor(t.db, bystander.id).users.me()).toMatchObject({ displayName: "Still Here" });
  });

  it("needs a signed-in user", async () => {
    await expectAppError(callerFor(t.db, null).users.deleteAccount(), { code: "UNAUTHORIZED" });
  });
});
