import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTRPCRouter, contributorProcedure, createCallerFactory, createTRPCContext } from "@/server/api/trpc";
import { users } from "@/server/db/schema";
import { createApiClient } from "@/server/domain/api-clients/keys";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";

const t = setupTestDatabase();

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"], appCode?: string) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  if (appCode) expect(((error as TRPCError).cause as { code?: string })?.code).toBe(appCode);
  return error as TRPCError;
}

describe("users.me", () => {
  it("refuses a signed-out caller with UNAUTHORIZED", async () => {
    await expectTrpcError(callerFor(t.db, null).users.me(), "UNAUTHORIZED", "UNAUTHENTICATED");
  });

  it("returns the signed-in user's profile without notes", async () => {
    const user = await createTestUser(t.db, { name: "Grace", notes: "secret moderator note" });
    const me = await callerFor(t.db, user.id).users.me();
    expect(me).toMatchObject({ id: user.id, displayName: "Grace", role: "general" });
    expect(me).not.toHaveProperty("notes");
  });

  it.each([
    ["banned", { role: "banned" as const }],
    ["disabled", { enabled: false }],
    ["deleted", { deleted: true }],
  ])("refuses a %s user with FORBIDDEN", async (_label, overrides) => {
    const user = await createTestUser(t.db, overrides);
    await expectTrpcError(callerFor(t.db, user.id).users.me(), "FORBIDDEN", "USER_DISABLED");
  });

  it("treats a session for a user that no longer exists as signed out", async () => {
    await expectTrpcError(callerFor(t.db, crypto.randomUUID()).users.me(), "UNAUTHORIZED");
  });
});

describe("users.acceptTos", () => {
  it("records the first acceptance and keeps it on repeat", async () => {
    const user = await createTestUser(t.db, { tosAcceptanceDate: null });
    const caller = callerFor(t.db, user.id);
    expect((await caller.users.me()).tosAcceptedAt).toBeNull();
    const first = await caller.users.acceptTos();
    expect(first.tosAcceptedAt).toBeInstanceOf(Date);
    const second = await caller.users.acceptTos();
    expect(second.tosAcceptedAt).toEqual(first.tosAcceptedAt);
  });
});

describe("contributor procedures", () => {
  const gated = createTRPCRouter({ ping: contributorProcedure.query(() => "pong") });
  const createGatedCaller = createCallerFactory(gated);
  const gatedCaller = (userId: string) =>
    createGatedCaller(createTRPCContext({ db: t.db, sessionUserId: userId, headers: new Headers() }));

  it("are closed until the terms of service are accepted", async () => {
    const user = await createTestUser(t.db, { tosAcceptanceDate: null });
    const error = await expectTrpcError(gatedCaller(user.id).ping(), "FORBIDDEN", "TOS_NOT_ACCEPTED");
    expect(error.message).toMatch(/terms of service/);
    await callerFor(t.db, user.id).users.acceptTos();
    await expect(gatedCaller(user.id).ping()).resolves.toBe("pong");
  });
});

describe("users.updateProfile", () => {
  it("changes the display name and leaderboard visibility", async () => {
    const user = await createTestUser(t.db);
    const updated = await callerFor(t.db, user.id).users.updateProfile({ displayName: "  Lin  ", showOnLeaderboard: false });
    expect(updated).toMatchObject({ displayName: "Lin", showOnLeaderboard: false });
  });

  it.each([
    ["an empty name", { displayName: "   " }],
    ["a name over 64 characters", { displayName: "x".repeat(65) }],
    ["a control character", { displayName: "bad\u0007name" }],
    ["nothing to change", {}],
  ])("rejects %s with BAD_REQUEST and changes nothing", async (_label, input) => {
    const user = await createTestUser(t.db, { name: "Before" });
    await expectTrpcError(callerFor(t.db, user.id).users.updateProfile(input), "BAD_REQUEST");
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.name).toBe("Before");
  });
});

describe("API clients", () => {
  it("refuse a wrong x-api-key with UNAUTHORIZED, even on public calls", async () => {
    const caller = callerFor(t.db, null, { "x-api-key": "oak_not-a-real-key" });
    await expectTrpcError(caller.apiClients.whoami(), "UNAUTHORIZED", "API_CLIENT_NOT_AUTHORIZED");
  });

  it("refuse a disabled client's key", async () => {
    const admin = await createTestUser(t.db, { role: "admin" });
    const { client, key } = await callerFor(t.db, admin.id).apiClients.create({ description: "bot" });
    await callerFor(t.db, admin.id).apiClients.setEnabled({ id: client.id, enabled: false });
    await expectTrpcError(callerFor(t.db, null, { "x-api-key": key }).apiClients.whoami(), "UNAUTHORIZED");
  });

  it("can only be created by admins", async () => {
    const moderator = await createTestUser(t.db, { role: "moderator" });
    await expectTrpcError(callerFor(t.db, moderator.id).apiClients.create({ description: "x" }), "FORBIDDEN");
  });

  it("act for their own users, creating each exactly once under concurrent first calls", async () => {
    const { client, key } = await createApiClient(t.db, { description: "discord bot", frontendType: "discord", trusted: false });
    const headers = { "x-api-key": key, "x-oasst-user": "discord:12345", "x-oasst-user-name": "Dee" };
    const results = await Promise.all(Array.from({ length: 12 }, () => callerFor(t.db, null, headers).users.me()));
    expect(new Set(results.map((me) => me.id)).size).toBe(1);
    expect(results[0]).toMatchObject({ displayName: "Dee" });
    const rows = await t.db.select().from(users).where(eq(users.apiClientId, client.id));
    expect(rows).toHaveLength(1);
  });

  it("reject a malformed x-oasst-user header with BAD_REQUEST", async () => {
    const { key } = await createApiClient(t.db, { description: "bot", frontendType: "discord", trusted: false });
    await expectTrpcError(callerFor(t.db, null, { "x-api-key": key, "x-oasst-user": "nocolon" }).users.me(), "BAD_REQUEST");
  });

  it("need a user for user procedures", async () => {
    const { key } = await createApiClient(t.db, { description: "bot", frontendType: "discord", trusted: false });
    await expectTrpcError(callerFor(t.db, null, { "x-api-key": key }).users.me(), "UNAUTHORIZED");
  });
});
