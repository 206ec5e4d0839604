import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { journal, messages, users } from "@/server/db/schema";
import { insertTestMessage, insertTestTree, readTestMessage, readTestTreeState } from "@/server/domain/messages/test-fixtures";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();

async function people() {
  const admin = await createTestUser(t.db, { name: "Ada", role: "admin" });
  const moderator = await createTestUser(t.db, { name: "Mo", role: "moderator" });
  const author = await createTestUser(t.db, { name: "Author" });
  return { admin, moderator, author, as: (user: { id: string }) => callerFor(t.db, user.id) };
}

describe("moderator-only procedures", () => {
  it("refuse contributors with FORBIDDEN and change nothing", async () => {
    const { author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id });
    const caller = as(author);
    const id = { messageId: root.id };
    const calls = [
      () => caller.moderation.haltTree(id), () => caller.moderation.unhaltTree(id), () => caller.moderation.deleteMessage(id),
      () => caller.moderation.undeleteMessage(id), () => caller.moderation.purgeTree({ ...id, preview: false }),
      () => caller.moderation.purgeUserMessages({ userId: author.id, preview: false }), () => caller.moderation.messages({}),
      () => caller.moderation.flaggedMessages(), () => caller.moderation.markFlaggedProcessed(id),
      () => caller.moderation.getUser({ userId: author.id }), () => caller.moderation.updateUser({ userId: author.id, enabled: false }),
      () => caller.moderation.deleteUser({ userId: author.id }),
    ];
    for (const call of calls) await expectAppError(call(), { code: "FORBIDDEN", appCode: "FORBIDDEN" });
    expect(await readTestTreeState(t.db, root.id)).toMatchObject({ state: "growing", active: true });
    expect(await readTestMessage(t.db, root.id)).toMatchObject({ deleted: false });
  });

  it("answer an unknown message with NOT_FOUND 2001", async () => {
    const { moderator, as } = await people();
    const messageId = crypto.randomUUID();
    const moderation = as(moderator).moderation;
    const calls = [
      () => moderation.haltTree({ messageId }), () => moderation.unhaltTree({ messageId }),
      () => moderation.deleteMessage({ messageId }), () => moderation.undeleteMessage({ messageId }),
      () => moderation.purgeTree({ messageId, preview: false }), () => moderation.markFlaggedProcessed({ messageId }),
    ];
    for (const call of calls) await expectAppError(call(), { code: "NOT_FOUND", oaCode: 2001 });
  });
});

describe("moderation.haltTree / unhaltTree", () => {
  it("halts a growing tree and restarts it in growing, recorded in the journal", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, state: "growing" });
    const reply = await insertTestMessage(t.db, { userId: moderator.id, parent: root, reviewResult: null, reviewCount: 0 });
    expect(await as(moderator).moderation.haltTree({ messageId: reply.id })).toMatchObject({ state: "halted_by_moderator", active: false });
    expect(await as(moderator).moderation.haltTree({ messageId: root.id })).toMatchObject({ state: "halted_by_moderator" });
    expect(await as(moderator).moderation.unhaltTree({ messageId: root.id })).toMatchObject({ state: "growing", active: true });
    const events = await t.db.select().from(journal).where(eq(journal.userId, moderator.id));
    expect(events.map((event) => event.eventType)).toEqual(
      expect.arrayContaining(["moderation_halt_tree", "moderation_unhalt_tree"]),
    );
  });

  it("restarts a grown tree straight into ranking when it already reached its goal", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, state: "halted_by_moderator", wonPromptLotteryDate: new Date(), goalTreeSize: 2 });
    await insertTestMessage(t.db, { userId: moderator.id, parent: root, role: "assistant" });
    await insertTestMessage(t.db, { userId: author.id, parent: root, role: "assistant" });
    // Two accepted assistant replies but no rankings yet: the tree waits in ranking.
    expect(await as(moderator).moderation.unhaltTree({ messageId: root.id })).toMatchObject({ state: "ranking", active: true });
  });

  it.each([
    ["an accepted prompt goes to the lottery", true, "prompt_lottery_waiting"],
    ["a rejected prompt stays aborted", false, "aborted_low_grade"],
    ["an undecided prompt goes back to review", null, "initial_prompt_review"],
  ] as const)("decides from the prompt's review (fix §8.8): %s", async (_case, reviewResult, expected) => {
    const { moderator, author } = await people();
    // No room for growing trees, so the lottery leaves an accepted prompt waiting.
    const caller = callerFor(t.db, moderator.id, {}, testTreeDeps({ maxActiveTrees: 0 }));
    const root = await insertTestTree(t.db, { userId: author.id, state: "halted_by_moderator", wonPromptLotteryDate: null, reviewResult, reviewCount: 3 });
    expect(await caller.moderation.unhaltTree({ messageId: root.id })).toMatchObject({ state: expected, active: expected === "initial_prompt_review" });
  });

  it("sends an accepted prompt on to growing when its language has room (lottery)", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, state: "halted_by_moderator", lang: "lt", wonPromptLotteryDate: null, reviewResult: true });
    expect(await as(moderator).moderation.unhaltTree({ messageId: root.id })).toMatchObject({ state: "growing", active: true });
    expect((await readTestTreeState(t.db, root.id))!.wonPromptLotteryDate).toBeInstanceOf(Date);
  });

  it("leaves an active tree alone and refuses to restart a tree whose prompt is deleted", async () => {
    const { moderator, author, as } = await people();
    const active = await insertTestTree(t.db, { userId: author.id, state: "growing" });
    expect(await as(moderator).moderation.unhaltTree({ messageId: active.id })).toMatchObject({ state: "growing" });
    const root = await insertTestTree(t.db, { userId: author.id, state: "halted_by_moderator" });
    await t.db.update(messages).set({ deleted: true }).where(eq(messages.id, root.id));
    await expectAppError(as(moderator).moderation.unhaltTree({ messageId: root.id }), { code: "CONFLICT" });
    expect((await readTestTreeState(t.db, root.id))!.state).toBe("halted_by_moderator");
  });
});

describe("moderation.deleteMessage / undeleteMessage", () => {
  it("deletes a message with its subtree and restores it with its ancestors, keeping children counts right", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id });
    const a = await insertTestMessage(t.db, { userId: moderator.id, parent: root });
    const b = await insertTestMessage(t.db, { userId: author.id, parent: a });
    const c = await insertTestMessage(t.db, { userId: moderator.id, parent: b });
    expect(await as(moderator).moderation.deleteMessage({ messageId: a.id })).toEqual({ messageId: a.id, changed: 3 });
    for (const id of [a.id, b.id, c.id]) expect((await readTestMessage(t.db, id))!.deleted).toBe(true);
    expect((await readTestMessage(t.db, root.id))!).toMatchObject({ deleted: false, childrenCount: 0 });
    // Restoring the deepest message brings back its ancestors, not what lies below it.
    expect(await as(moderator).moderation.undeleteMessage({ messageId: b.id })).toEqual({ messageId: b.id, changed: 2 });
    expect((await readTestMessage(t.db, a.id))!).toMatchObject({ deleted: false, childrenCount: 1 });
    expect((await readTestMessage(t.db, b.id))!).toMatchObject({ deleted: false, childrenCount: 0 });
    expect((await readTestMessage(t.db, c.id))!.deleted).toBe(true);
    expect((await readTestMessage(t.db, root.id))!.childrenCount).toBe(1);
  });

  it("stops the tree when its prompt is deleted", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, state: "initial_prompt_review", wonPromptLotteryDate: null, reviewResult: null, reviewCount: 0 });
    await as(moderator).moderation.deleteMessage({ messageId: root.id });
    expect(await readTestTreeState(t.db, root.id)).toMatchObject({ state: "halted_by_moderator", active: false });
  });

  it("refuses to restore a reply when its author has written another one under the same parent since", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: moderator.id });
    const first = await insertTestMessage(t.db, { userId: author.id, parent: root });
    await as(moderator).moderation.deleteMessage({ messageId: first.id });
    await insertTestMessage(t.db, { userId: author.id, parent: root });
    await expectAppError(as(moderator).moderation.undeleteMessage({ messageId: first.id }), { code: "CONFLICT" });
    expect((await readTestMessage(t.db, first.id))!.deleted).toBe(true);
  });
});

describe("moderation.flaggedMessages / markFlaggedProcessed", () => {
  it("lists red-flagged messages oldest first with their reports, and drops processed ones", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, lang: "fi" });
    const reply = await insertTestMessage(t.db, { userId: author.id, parent: root });
    const reporter = await createTestUser(t.db, { name: "Reporter", email: "reporter@secret.example" });
    await as(reporter).messages.label({ messageId: root.id, labels: { spam: 1 }, text: "Spam!", isReport: true });
    await as(reporter).messages.setEmoji({ messageId: reply.id, emoji: "red_flag" });
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await as(moderator).moderation.flaggedMessages({ limit: 1, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const mine = all.filter((item) => item.message.messageTreeId === root.id);
    expect(mine.map((item) => item.message.id)).toEqual([root.id, reply.id]);
    expect(mine[0]!.reports).toMatchObject([{ reporterName: "Reporter", text: "Spam!", labels: { spam: 1 } }]);
    expect(JSON.stringify(mine)).not.toContain("secret.example");
    expect(await as(moderator).moderation.markFlaggedProcessed({ messageId: root.id })).toEqual({ messageId: root.id, processed: true });
    const after = (await as(moderator).moderation.flaggedMessages({ limit: 100 })).items.map((item) => item.message.id);
    expect(after).toContain(reply.id);
    expect(after).not.toContain(root.id);
    const withProcessed = (await as(moderator).moderation.flaggedMessages({ limit: 100, includeProcessed: true })).items;
    expect(withProcessed.find((item) => item.message.id === root.id)).toMatchObject({ processed: true });
  });
});

describe("moderation.updateUser / getUser / deleteUser", () => {
  it("lets moderators disable and ban contributors, which takes their prompts out of the lottery", async () => {
    const { moderator, author, as } = await people();
    const waiting = await insertTestTree(t.db, { userId: author.id, state: "prompt_lottery_waiting", wonPromptLotteryDate: null });
    const disabled = await as(moderator).moderation.updateUser({ userId: author.id, enabled: false, notes: "spammer" });
    expect(disabled).toMatchObject({ enabled: false, notes: "spammer", role: "general" });
    expect(disabled).not.toHaveProperty("email");
    expect((await readTestTreeState(t.db, waiting.id))!.state).toBe("halted_by_moderator");
    await expectAppError(as(author).messages.mine(), { code: "FORBIDDEN", appCode: "USER_DISABLED" });
    expect(await as(moderator).moderation.updateUser({ userId: author.id, role: "banned", enabled: true })).toMatchObject({ role: "banned" });
    await expectAppError(as(author).messages.mine(), { code: "FORBIDDEN", appCode: "USER_DISABLED" });
    expect(await as(moderator).moderation.updateUser({ userId: author.id, role: "general" })).toMatchObject({ role: "general", enabled: true });
    expect((await as(author).messages.mine()).items.map((message) => message.id)).toEqual([waiting.id]);
  });

  it("keeps moderator and admin roles in admins' hands", async () => {
    const { admin, moderator, author, as } = await people();
    await expectAppError(as(moderator).moderation.updateUser({ userId: author.id, role: "moderator" }), { code: "FORBIDDEN" });
    await expectAppError(as(moderator).moderation.updateUser({ userId: author.id, role: "admin" }), { code: "FORBIDDEN" });
    await expectAppError(as(moderator).moderation.updateUser({ userId: admin.id, enabled: false }), { code: "FORBIDDEN" });
    const otherModerator = await createTestUser(t.db, { role: "moderator" });
    await expectAppError(as(moderator).moderation.updateUser({ userId: otherModerator.id, role: "banned" }), { code: "FORBIDDEN" });
    await expectAppError(as(admin).moderation.updateUser({ userId: admin.id, role: "general" }), { code: "FORBIDDEN" });
    await expectAppError(as(moderator).moderation.updateUser({ userId: moderator.id, enabled: false }), { code: "FORBIDDEN" });
    expect(await as(admin).moderation.updateUser({ userId: admin.id, notes: "on call" })).toMatchObject({ notes: "on call", role: "admin" });
    expect((await t.db.select().from(users).where(eq(users.id, author.id)))[0]!.role).toBe("general");
    expect(await as(admin).moderation.updateUser({ userId: author.id, role: "moderator" })).toMatchObject({ role: "moderator" });
    expect(await as(admin).moderation.updateUser({ userId: otherModerator.id, role: "general" })).toMatchObject({ role: "general" });
  });

  it("validates input: an unknown user is NOT_FOUND, an empty change BAD_REQUEST", async () => {
    const { moderator, author, as } = await people();
    await expectAppError(as(moderator).moderation.updateUser({ userId: crypto.randomUUID(), enabled: false }), { code: "NOT_FOUND", oaCode: 4002 });
    await expectAppError(as(moderator).moderation.updateUser({ userId: author.id }), { code: "BAD_REQUEST" });
    await expectAppError(as(moderator).moderation.updateUser({ userId: author.id, role: "emperor" as "admin" }), { code: "BAD_REQUEST" });
    await expectAppError(as(moderator).moderation.getUser({ userId: crypto.randomUUID() }), { code: "NOT_FOUND" });
  });

  it("anonymises a deleted user but keeps their messages", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id });
    const deleted = await as(moderator).moderation.deleteUser({ userId: author.id });
    expect(deleted).toMatchObject({ deleted: true, displayName: "Deleted User", showOnLeaderboard: false });
    const [row] = await t.db.select().from(users).where(eq(users.id, author.id));
    expect(row).toMatchObject({ email: null, name: "Deleted User", username: `deleted_${author.id}` });
    expect(await as(moderator).messages.get({ messageId: root.id })).toMatchObject({ authorName: "Deleted User", deleted: false });
  });
});
