import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { journal, messages, messageTreeStates } from "@/server/db/schema";
import { checkInvariants, formatInvariantReport } from "@/server/domain/invariants/check-invariants";
import { insertTestMessage, insertTestTree, readTestMessage, readTestTreeState } from "@/server/domain/messages/test-fixtures";
import { type AppError } from "@/server/errors";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";
import { createKey, restClient } from "@/server/rest/test-client.test-helper";

/**
 * Undelete must never overfill a parent (issue 12, the 30-minute soak's 6 children_limit violations): a moderator
 * deletes a reply, another contributor's reply takes the freed slot, the restore would make 4 of 3. The restore is
 * refused with UNDELETE_PARENT_FULL. The races are in undelete-races.int.test.ts.
 */
const t = setupTestDatabase();

async function people() {
  const moderator = await createTestUser(t.db, { name: "Mo", role: "moderator" });
  const author = await createTestUser(t.db, { name: "Author" });
  return { moderator, author, as: (user: { id: string }, deps = testTreeDeps()) => callerFor(t.db, user.id, {}, deps) };
}

async function liveChildren(parentId: string) {
  return t.db.select().from(messages).where(and(eq(messages.parentId, parentId), eq(messages.deleted, false)));
}

/** The fixtures write trees straight to the tables (reviews without labels): only the children checks apply. */
async function expectChildrenChecksHold() {
  const report = await checkInvariants(t.db);
  const children = report.checks.filter((check) => check.name === "children_count" || check.name === "children_limit");
  expect(children.map((check) => [check.name, check.violations]), formatInvariantReport(report)).toEqual([["children_count", 0], ["children_limit", 0]]);
}

describe("undeleteMessage refuses a restore that would overfill a parent", () => {
  it("after another reply took the freed slot: a typed CONFLICT that says why and what to do, nothing changed", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id }); // max_children_count 3
    const [a, b] = [await insertTestMessage(t.db, { userId: author.id, parent: root }), await insertTestMessage(t.db, { userId: moderator.id, parent: root })];
    await insertTestMessage(t.db, { userId: null, parent: root });
    await as(moderator).moderation.deleteMessage({ messageId: a.id });
    await insertTestMessage(t.db, { userId: null, parent: root }); // the slot is taken meanwhile
    const error = await expectAppError(as(moderator).moderation.undeleteMessage({ messageId: a.id }), { code: "CONFLICT", appCode: "UNDELETE_PARENT_FULL" });
    expect(error.message).toBe("This reply can't be restored: its parent already has the most replies a tree allows (3). Delete one of them first.");
    expect((error.cause as AppError).details).toEqual({ parentId: root.id, maxReplies: 3 });
    expect((await readTestMessage(t.db, a.id))!.deleted).toBe(true);
    expect((await readTestMessage(t.db, root.id))!.childrenCount).toBe(3);
    const undeletes = await t.db.select().from(journal).where(and(eq(journal.userId, moderator.id), eq(journal.eventType, "moderation_undelete_message")));
    expect(undeletes).toHaveLength(0);
    await expectChildrenChecksHold();
    // Once a slot is free again, the restore goes through.
    await as(moderator).moderation.deleteMessage({ messageId: b.id });
    expect(await as(moderator).moderation.undeleteMessage({ messageId: a.id })).toEqual({ messageId: a.id, changed: 1 });
    expect(await liveChildren(root.id)).toHaveLength(3);
    await expectChildrenChecksHold();
  });

  it("restores a rejected reply into a full parent: it takes no slot", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id });
    const rejected = await insertTestMessage(t.db, { userId: author.id, parent: root, reviewResult: false, reviewCount: 3 });
    for (let i = 0; i < 3; i++) await insertTestMessage(t.db, { userId: null, parent: root });
    await as(moderator).moderation.deleteMessage({ messageId: rejected.id });
    expect(await as(moderator).moderation.undeleteMessage({ messageId: rejected.id })).toEqual({ messageId: rejected.id, changed: 1 });
    expect((await readTestMessage(t.db, root.id))!.childrenCount).toBe(4);
    await expectChildrenChecksHold();
  });

  it("applies the reply capacity of the parent's role: an assistant message takes numPrompterReplies prompter replies", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id });
    const answer = await insertTestMessage(t.db, { userId: moderator.id, parent: root, role: "assistant" });
    const followUp = await insertTestMessage(t.db, { userId: author.id, parent: answer, role: "prompter" });
    await as(moderator).moderation.deleteMessage({ messageId: followUp.id });
    await insertTestMessage(t.db, { userId: null, parent: answer, role: "prompter" });
    const deps = testTreeDeps({ numPrompterReplies: 1 });
    await expectAppError(as(moderator, deps).moderation.undeleteMessage({ messageId: followUp.id }), { code: "CONFLICT", appCode: "UNDELETE_PARENT_FULL" });
    expect((await readTestMessage(t.db, followUp.id))!.deleted).toBe(true);
  });

  it("checks every ancestor the restore brings back, not only the message's own parent", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id });
    const a = await insertTestMessage(t.db, { userId: author.id, parent: root });
    const b = await insertTestMessage(t.db, { userId: moderator.id, parent: a });
    await insertTestMessage(t.db, { userId: null, parent: root });
    await insertTestMessage(t.db, { userId: null, parent: root });
    await as(moderator).moderation.deleteMessage({ messageId: a.id }); // a and b
    await insertTestMessage(t.db, { userId: null, parent: root });
    // Restoring b brings a back, and a's parent is full.
    await expectAppError(as(moderator).moderation.undeleteMessage({ messageId: b.id }), { code: "CONFLICT", appCode: "UNDELETE_PARENT_FULL" });
    expect((await readTestMessage(t.db, a.id))!.deleted).toBe(true);
    expect((await readTestMessage(t.db, b.id))!.deleted).toBe(true);
    await expectChildrenChecksHold();
  });

  it("leaves imported trees as their dataset shaped them", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, origin: "oasst.jsonl", state: "ready_for_export" });
    await t.db.update(messageTreeStates).set({ maxChildrenCount: 0 }).where(eq(messageTreeStates.messageTreeId, root.id)); // as the importer writes it
    const reply = await insertTestMessage(t.db, { userId: author.id, parent: root });
    await as(moderator).moderation.deleteMessage({ messageId: reply.id });
    expect(await as(moderator).moderation.undeleteMessage({ messageId: reply.id })).toEqual({ messageId: reply.id, changed: 1 });
  });

  it("moves a growing tree on when the restored reply completes it, as a delete re-checks it", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, goalTreeSize: 3 });
    const a = await insertTestMessage(t.db, { userId: author.id, parent: root, role: "assistant" });
    await insertTestMessage(t.db, { userId: moderator.id, parent: root, role: "assistant" });
    await as(moderator).moderation.deleteMessage({ messageId: a.id });
    expect((await readTestTreeState(t.db, root.id))!.state).toBe("growing");
    await as(moderator).moderation.undeleteMessage({ messageId: a.id });
    expect((await readTestTreeState(t.db, root.id))!.state).toBe("ranking");
  });

  it("is refused the same way through the moderation queue's undelete action and the REST facade (409)", async () => {
    const { moderator, author, as } = await people();
    const reporter = await createTestUser(t.db, { name: "Reporter" });
    const root = await insertTestTree(t.db, { userId: author.id, lang: "qu" });
    const a = await insertTestMessage(t.db, { userId: author.id, parent: root });
    await insertTestMessage(t.db, { userId: null, parent: root });
    await insertTestMessage(t.db, { userId: null, parent: root });
    await as(reporter).messages.label({ messageId: a.id, labels: { spam: 1 }, text: "Nasty", isReport: true });
    const claimed = (await as(moderator).admin.claimNext({ lang: "qu" }))!;
    const deleted = await as(moderator).admin.act({ itemId: claimed.id, version: claimed.version, action: "delete" });
    await insertTestMessage(t.db, { userId: null, parent: root });
    await expectAppError(as(moderator).admin.act({ itemId: claimed.id, version: deleted.version, action: "undelete" }), { code: "CONFLICT", appCode: "UNDELETE_PARENT_FULL" });
    expect((await readTestMessage(t.db, a.id))!.deleted).toBe(true);

    await createKey(t.db, "undelete-trusted-key", { trusted: true });
    const rest = restClient(t.db, { key: "undelete-trusted-key" });
    const refused = await rest.backend("PUT", `/api/v1/messages/${a.id}/undelete`);
    expect(refused).toMatchObject({ status: 409, body: { app_code: "UNDELETE_PARENT_FULL", message: expect.stringContaining("can't be restored") } });
    expect((await readTestMessage(t.db, a.id))!.deleted).toBe(true);
  });
});
