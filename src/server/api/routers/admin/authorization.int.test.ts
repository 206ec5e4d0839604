/**
 * Every procedure the moderator console uses, called as each kind of caller, with the exact outcome expected:
 * anonymous → UNAUTHORIZED, banned → FORBIDDEN/USER_DISABLED, contributor → FORBIDDEN, moderator → allowed except
 * admin-only calls (FORBIDDEN), admin → allowed. Each call gets fresh fixtures, so an allowed call really succeeds.
 */
import { describe, expect, it } from "vitest";
import { insertTestMessage, insertTestTree } from "@/server/domain/messages/test-fixtures";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();

type Caller = ReturnType<typeof callerFor>;
type Fixture = { messageId: string; treeId: string; userId: string; itemId: string; itemVersion: number; apiClientId: string };
type Access = "moderator" | "admin";

async function fixture(admin: Caller, adminId: string): Promise<Fixture> {
  const author = await createTestUser(t.db, { name: "Subject" });
  const reporter = await createTestUser(t.db, { name: "Flagger" });
  const root = await insertTestTree(t.db, { userId: author.id, state: "growing" });
  const reply = await insertTestMessage(t.db, { userId: author.id, parent: root });
  await callerFor(t.db, reporter.id).messages.setEmoji({ messageId: reply.id, emoji: "red_flag" });
  const item = (await admin.admin.queue({ order: "newest", limit: 1 })).items[0]!;
  const { client } = await admin.apiClients.create({ description: `fixture of ${adminId}` });
  return { messageId: reply.id, treeId: root.id, userId: author.id, itemId: item.id, itemVersion: item.version, apiClientId: client.id };
}

const PROCEDURES: [name: string, access: Access, call: (caller: Caller, fx: Fixture) => Promise<unknown>][] = [
  ["admin.queue", "moderator", (c) => c.admin.queue({})],
  ["admin.queueSummary", "moderator", (c) => c.admin.queueSummary()],
  ["admin.claimNext", "moderator", (c) => c.admin.claimNext({})],
  ["admin.claim", "moderator", (c, fx) => c.admin.claim({ itemId: fx.itemId })],
  ["admin.release", "moderator", (c, fx) => c.admin.release({ itemId: fx.itemId })],
  ["admin.act", "moderator", (c, fx) => c.admin.act({ itemId: fx.itemId, version: fx.itemVersion, action: "dismiss" })],
  ["admin.users", "moderator", (c) => c.admin.users({ q: "sub" })],
  ["admin.userDetail", "moderator", (c, fx) => c.admin.userDetail({ userId: fx.userId })],
  ["admin.journal", "moderator", (c) => c.admin.journal({})],
  ["admin.messages", "moderator", (c) => c.admin.messages({ q: "test", mode: "substring" })],
  ["admin.messageDetail", "moderator", (c, fx) => c.admin.messageDetail({ messageId: fx.messageId })],
  ["admin.treeCounts", "moderator", (c) => c.admin.treeCounts()],
  ["admin.trees", "moderator", (c) => c.admin.trees({ state: "growing" })],
  ["admin.treeHistory", "moderator", (c, fx) => c.admin.treeHistory({ treeId: fx.treeId })],
  ["admin.status", "moderator", (c) => c.admin.status()],
  ["admin.parameters", "moderator", (c) => c.admin.parameters()],
  ["moderation.deleteMessage", "moderator", (c, fx) => c.moderation.deleteMessage({ messageId: fx.messageId })],
  ["moderation.undeleteMessage", "moderator", (c, fx) => c.moderation.undeleteMessage({ messageId: fx.messageId })],
  ["moderation.haltTree", "moderator", (c, fx) => c.moderation.haltTree({ messageId: fx.treeId })],
  ["moderation.unhaltTree", "moderator", (c, fx) => c.moderation.unhaltTree({ messageId: fx.treeId })],
  ["moderation.purgeTree", "moderator", (c, fx) => c.moderation.purgeTree({ messageId: fx.treeId, preview: true })],
  ["moderation.purgeUserMessages", "moderator", (c, fx) => c.moderation.purgeUserMessages({ userId: fx.userId, preview: true })],
  ["moderation.messages", "moderator", (c) => c.moderation.messages({})],
  ["moderation.getUser", "moderator", (c, fx) => c.moderation.getUser({ userId: fx.userId })],
  ["moderation.updateUser (ban)", "moderator", (c, fx) => c.moderation.updateUser({ userId: fx.userId, role: "banned" })],
  ["moderation.updateUser (notes)", "moderator", (c, fx) => c.moderation.updateUser({ userId: fx.userId, notes: "watch" })],
  ["moderation.updateUser (make moderator)", "admin", (c, fx) => c.moderation.updateUser({ userId: fx.userId, role: "moderator" })],
  ["moderation.deleteUser", "moderator", (c, fx) => c.moderation.deleteUser({ userId: fx.userId })],
  ["leaderboard.trollboard", "moderator", (c) => c.leaderboard.trollboard({ timeFrame: "week" })],
  ["inference.workers", "moderator", (c) => c.inference.workers({ includeOffline: true, limit: 10 })],
  ["inference.queue", "moderator", (c) => c.inference.queue()],
  ["apiClients.list", "admin", (c) => c.apiClients.list()],
  ["apiClients.create", "admin", (c) => c.apiClients.create({ description: "bot" })],
  ["apiClients.setEnabled", "admin", (c, fx) => c.apiClients.setEnabled({ id: fx.apiClientId, enabled: false, trusted: true })],
];

const ROLES = ["anonymous", "banned", "contributor", "moderator", "admin"] as const;

function expectedOutcome(role: (typeof ROLES)[number], access: Access) {
  if (role === "anonymous") return { code: "UNAUTHORIZED", appCode: "UNAUTHENTICATED" } as const;
  if (role === "banned") return { code: "FORBIDDEN", appCode: "USER_DISABLED" } as const;
  if (role === "contributor") return { code: "FORBIDDEN", appCode: "FORBIDDEN" } as const;
  if (role === "moderator" && access === "admin") return { code: "FORBIDDEN", appCode: "FORBIDDEN" } as const;
  return "ok" as const;
}

describe("console authorization", () => {
  it("gives every console procedure its exact outcome for every kind of caller", { timeout: 240_000 }, async () => {
    const adminUser = await createTestUser(t.db, { name: "Ada", role: "admin" });
    const admin = callerFor(t.db, adminUser.id);
    const people = {
      anonymous: null,
      banned: (await createTestUser(t.db, { role: "banned" })).id,
      contributor: (await createTestUser(t.db)).id,
      moderator: (await createTestUser(t.db, { role: "moderator" })).id,
      admin: adminUser.id,
    };
    const table: string[] = [];
    // Refused calls change nothing, so they share one fixture; each allowed call gets its own.
    const shared = await fixture(admin, adminUser.id);
    for (const [name, access, call] of PROCEDURES) {
      for (const role of ROLES) {
        const expected = expectedOutcome(role, access);
        const fx = expected === "ok" ? await fixture(admin, adminUser.id) : shared;
        const caller = callerFor(t.db, people[role]);
        if (expected === "ok") await expect(call(caller, fx), `${name} as ${role}`).resolves.not.toThrow();
        else await expectAppError(call(caller, fx), expected);
        table.push(`${name} × ${role}`);
      }
    }
    expect(table).toHaveLength(PROCEDURES.length * ROLES.length);
  });
});

describe("admin.status", () => {
  it("counts messages and users even before the tables were ever analyzed", async () => {
    const admin = await createTestUser(t.db, { role: "admin" });
    await insertTestTree(t.db, { userId: admin.id });
    const status = await callerFor(t.db, admin.id).admin.status();
    expect(status.messages).toBeGreaterThanOrEqual(1);
    expect(status.users).toBeGreaterThanOrEqual(1);
    expect(status.databaseBytes).toBeGreaterThan(0);
  });
});
