import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "@/server/db/client";
import {
  flaggedMessages, journal, messageEmojis, messageReactions, messageRevisions, messages, messageTreeStates, tasks, textLabels,
} from "@/server/db/schema";
import { insertTestMessage, insertTestTree, readTestMessage, readTestTreeState, type TestMessage } from "@/server/domain/messages/test-fixtures";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();

/** Attaches everything a message can carry: an edit, labels, a red flag, a task that created it, a journal entry. */
async function decorate(db: Database, message: TestMessage, userId: string) {
  const caller = callerFor(db, userId);
  if (message.userId) await callerFor(db, message.userId).messages.edit({ messageId: message.id, text: `${message.text} (edited)` });
  await caller.messages.label({ messageId: message.id, labels: { quality: 0.5 }, text: "meh", isReport: true });
  const [task] = await db
    .insert(tasks)
    .values({ type: "assistant_reply", payload: {}, userId: message.userId, messageTreeId: message.messageTreeId, parentMessageId: message.parentId, done: true })
    .returning();
  await db.update(messages).set({ taskId: task!.id }).where(eq(messages.id, message.id));
  await db.insert(journal).values({ userId: message.userId, messageId: message.id, eventType: "text_reply_to_message", eventPayload: {} });
}

/** A completed ranking of the parent's children. */
async function rank(db: Database, parent: TestMessage, rankerId: string, ids: string[]) {
  const [task] = await db
    .insert(tasks)
    .values({ type: "rank_assistant_replies", payload: {}, userId: rankerId, messageTreeId: parent.messageTreeId, parentMessageId: parent.id, done: true })
    .returning();
  await db.insert(messageReactions).values({
    taskId: task!.id,
    userId: rankerId,
    messageId: parent.id,
    payload: { type: "message_ranking", rankedMessageIds: ids, rankingParentId: parent.id, messageTreeId: parent.messageTreeId, notRankable: false },
  });
  await db.update(messages).set({ rankingCount: sql`${messages.rankingCount} + 1`, rank: 0 }).where(inArray(messages.id, ids));
}

async function countRows(ids: string[]) {
  const count = async (query: Promise<unknown[]>) => (await query).length;
  return {
    messages: await count(t.db.select().from(messages).where(inArray(messages.id, ids))),
    revisions: await count(t.db.select().from(messageRevisions).where(inArray(messageRevisions.messageId, ids))),
    labels: await count(t.db.select().from(textLabels).where(inArray(textLabels.messageId, ids))),
    emojis: await count(t.db.select().from(messageEmojis).where(inArray(messageEmojis.messageId, ids))),
    flagged: await count(t.db.select().from(flaggedMessages).where(inArray(flaggedMessages.messageId, ids))),
    journal: await count(t.db.select().from(journal).where(inArray(journal.messageId, ids))),
    tasks: await count(t.db.select().from(tasks).where(inArray(tasks.parentMessageId, ids))),
  };
}

describe("moderation.purgeTree", () => {
  it("previews by default, then removes the tree with revisions, labels, emojis, tasks, reactions and journal", async () => {
    const moderator = await createTestUser(t.db, { role: "moderator" });
    const author = await createTestUser(t.db);
    const helper = await createTestUser(t.db);
    const root = await insertTestTree(t.db, { userId: author.id });
    const a1 = await insertTestMessage(t.db, { userId: helper.id, parent: root, role: "assistant" });
    const a2 = await insertTestMessage(t.db, { userId: moderator.id, parent: root, role: "assistant" });
    const p1 = await insertTestMessage(t.db, { userId: author.id, parent: a1 });
    for (const message of [root, a1, a2, p1]) await decorate(t.db, message, moderator.id);
    await rank(t.db, root, helper.id, [a1.id, a2.id]);
    const ids = [root.id, a1.id, a2.id, p1.id];
    const before = await countRows(ids);
    expect(before).toMatchObject({ messages: 4, revisions: 8, labels: 4, emojis: 4, flagged: 4, journal: 4 });

    const caller = callerFor(t.db, moderator.id);
    const preview = await caller.moderation.purgeTree({ messageId: p1.id });
    expect(preview).toMatchObject({ preview: true, result: { trees: 1, messages: 4 } });
    expect(preview.before.all - preview.after.all).toBe(4);
    expect(preview.before.messageTrees - preview.after.messageTrees).toBe(1);
    expect(await countRows(ids)).toEqual(before);

    const done = await caller.moderation.purgeTree({ messageId: p1.id, preview: false });
    expect(done).toMatchObject({ preview: false, result: { trees: 1, messages: 4 } });
    expect(await countRows(ids)).toEqual({ messages: 0, revisions: 0, labels: 0, emojis: 0, flagged: 0, journal: 0, tasks: 0 });
    expect(await readTestTreeState(t.db, root.id)).toBeUndefined();
    expect(await t.db.select().from(messageReactions).where(eq(messageReactions.messageId, root.id))).toHaveLength(0);
    expect(await t.db.select().from(tasks).where(eq(tasks.messageTreeId, root.id))).toHaveLength(0);
    await expectAppError(caller.moderation.purgeTree({ messageId: p1.id, preview: false }), { code: "NOT_FOUND", oaCode: 2001 });
  });
});

describe("moderation.purgeUserMessages", () => {
  async function scenario() {
    const moderator = await createTestUser(t.db, { role: "moderator" });
    const troll = await createTestUser(t.db, { name: "Troll" });
    const good = await createTestUser(t.db, { name: "Good" });
    const other = await createTestUser(t.db, { name: "Other" });
    // A tree by a good user where the troll replied, and a good reply below the troll's one.
    const goodRoot = await insertTestTree(t.db, { userId: good.id, state: "ready_for_export", goalTreeSize: 3 });
    const trollReply = await insertTestMessage(t.db, { userId: troll.id, parent: goodRoot, role: "assistant" });
    const sibling = await insertTestMessage(t.db, { userId: other.id, parent: goodRoot, role: "assistant" });
    const third = await insertTestMessage(t.db, { userId: good.id, parent: goodRoot, role: "assistant" });
    const below = await insertTestMessage(t.db, { userId: good.id, parent: trollReply });
    await decorate(t.db, trollReply, moderator.id);
    await rank(t.db, goodRoot, other.id, [sibling.id, trollReply.id, third.id]);
    // The troll's own prompt.
    const trollRoot = await insertTestTree(t.db, { userId: troll.id });
    const answer = await insertTestMessage(t.db, { userId: good.id, parent: trollRoot });
    return { moderator, troll, goodRoot, trollReply, sibling, third, below, trollRoot, answer, caller: callerFor(t.db, moderator.id) };
  }

  it("removes the user's replies with everything below them, drops the sibling rankings and re-evaluates the tree", async () => {
    const s = await scenario();
    const preview = await s.caller.moderation.purgeUserMessages({ userId: s.troll.id });
    expect(preview).toMatchObject({ preview: true, result: { trees: 0, messages: 2 } });
    expect(await readTestMessage(t.db, s.trollReply.id)).toBeDefined();

    const done = await s.caller.moderation.purgeUserMessages({ userId: s.troll.id, preview: false });
    expect(done).toMatchObject({ preview: false, result: { trees: 0, messages: 2 } });
    expect(done.before.all - done.after.all).toBe(2);
    expect(await readTestMessage(t.db, s.trollReply.id)).toBeUndefined();
    expect(await readTestMessage(t.db, s.below.id)).toBeUndefined();
    expect(await t.db.select().from(messageRevisions).where(eq(messageRevisions.messageId, s.trollReply.id))).toHaveLength(0);
    expect((await readTestMessage(t.db, s.goodRoot.id))!.childrenCount).toBe(2);
    expect(await readTestMessage(t.db, s.sibling.id)).toMatchObject({ rankingCount: 0, rank: null });
    expect(await t.db.select().from(messageReactions).where(eq(messageReactions.messageId, s.goodRoot.id))).toHaveLength(0);
    // The exported tree lost a ranked reply: it goes back through ranking (it still has its goal of 3 messages).
    expect(await readTestTreeState(t.db, s.goodRoot.id)).toMatchObject({ state: "ranking", active: true });
    // Without purgeInitialPrompts the troll's prompt stays.
    expect(await readTestMessage(t.db, s.trollRoot.id)).toBeDefined();
  });

  it("with purgeInitialPrompts also removes the trees grown from the user's prompts", async () => {
    const s = await scenario();
    const done = await s.caller.moderation.purgeUserMessages({ userId: s.troll.id, purgeInitialPrompts: true, preview: false });
    expect(done.result).toEqual({ trees: 1, messages: 4 });
    expect(await readTestMessage(t.db, s.trollRoot.id)).toBeUndefined();
    expect(await readTestMessage(t.db, s.answer.id)).toBeUndefined();
    expect(await t.db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, s.trollRoot.id))).toHaveLength(0);
  });

  it("honours the date window and validates its input", async () => {
    const s = await scenario();
    const future = new Date(Date.now() + 3_600_000);
    const none = await s.caller.moderation.purgeUserMessages({ userId: s.troll.id, minDate: future, preview: false });
    expect(none.result).toEqual({ trees: 0, messages: 0 });
    await expectAppError(
      s.caller.moderation.purgeUserMessages({ userId: s.troll.id, minDate: future, maxDate: new Date(), preview: false }),
      { code: "BAD_REQUEST" },
    );
    await expectAppError(s.caller.moderation.purgeUserMessages({ userId: crypto.randomUUID(), preview: false }), { code: "NOT_FOUND", oaCode: 4002 });
    expect(await readTestMessage(t.db, s.trollReply.id)).toBeDefined();
  });
});
