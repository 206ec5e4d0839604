import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { flaggedMessages, messageEmojis, messageRevisions, textLabels } from "@/server/db/schema";
import { insertTestMessage, insertTestTree, readTestMessage, readTestTreeState } from "@/server/domain/messages/test-fixtures";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();

async function setup() {
  const author = await createTestUser(t.db, { name: "Author" });
  const other = await createTestUser(t.db, { name: "Other" });
  const moderator = await createTestUser(t.db, { name: "Mod", role: "moderator" });
  const root = await insertTestTree(t.db, { userId: author.id });
  const reply = await insertTestMessage(t.db, { userId: other.id, parent: root, role: "assistant", text: "Original reply" });
  return { author, other, moderator, root, reply, as: (user: { id: string }) => callerFor(t.db, user.id) };
}

const revisionsOf = (messageId: string) => t.db.select().from(messageRevisions).where(eq(messageRevisions.messageId, messageId));

describe("messages.edit and messages.revisions", () => {
  it("snapshots the original on the first edit, then keeps every version in order", async () => {
    const { other, moderator, reply, as } = await setup();
    const edited = await as(other).messages.edit({ messageId: reply.id, text: "  Better reply  " });
    expect(edited).toMatchObject({ text: "Better reply", edited: true });
    await as(moderator).messages.edit({ messageId: reply.id, text: "Moderated reply" });
    const { revisions } = await as(other).messages.revisions({ messageId: reply.id });
    expect(revisions.map((revision) => revision.text)).toEqual(["Original reply", "Better reply", "Moderated reply"]);
    expect(revisions.map((revision) => revision.editorName)).toEqual(["Other", "Other", "Mod"]);
    // The author sees their own id, not the moderator's.
    expect(revisions.map((revision) => revision.editorId)).toEqual([other.id, other.id, null]);
    expect((await as(moderator).messages.revisions({ messageId: reply.id })).revisions[2]!.editorId).toBe(moderator.id);
    expect(revisions[0]!.createdDate.getTime()).toBe(reply.createdDate.getTime());
  });

  it("writes nothing for unchanged text", async () => {
    const { other, reply, as } = await setup();
    expect(await as(other).messages.edit({ messageId: reply.id, text: "Original reply" })).toMatchObject({ edited: false });
    expect(await revisionsOf(reply.id)).toHaveLength(0);
    expect((await as(other).messages.revisions({ messageId: reply.id })).revisions).toEqual([]);
  });

  it("refuses other contributors with FORBIDDEN", async () => {
    const { author, reply, as } = await setup();
    await expectAppError(as(author).messages.edit({ messageId: reply.id, text: "Hijacked" }), { code: "FORBIDDEN" });
    await expectAppError(as(author).messages.revisions({ messageId: reply.id }), { code: "FORBIDDEN" });
    expect((await readTestMessage(t.db, reply.id))!.text).toBe("Original reply");
  });

  it("applies the 2000-character limit and refuses empty text, changing nothing (fix §8.7)", async () => {
    const { other, reply, as } = await setup();
    await expectAppError(as(other).messages.edit({ messageId: reply.id, text: "x".repeat(2001) }), {
      code: "BAD_REQUEST", appCode: "TASK_MESSAGE_TOO_LONG", oaCode: 1008,
    });
    await expectAppError(as(other).messages.edit({ messageId: reply.id, text: "   " }), { code: "BAD_REQUEST", oaCode: 1010 });
    expect(await as(other).messages.edit({ messageId: reply.id, text: "y".repeat(2000) })).toMatchObject({ edited: true });
    expect(await revisionsOf(reply.id)).toHaveLength(2);
  });

  it("is NOT_FOUND for unknown messages and for a contributor's deleted message", async () => {
    const { other, root, as } = await setup();
    await expectAppError(as(other).messages.edit({ messageId: crypto.randomUUID(), text: "x" }), { code: "NOT_FOUND", oaCode: 2001 });
    const deleted = await insertTestMessage(t.db, { userId: other.id, parent: root, deleted: true });
    await expectAppError(as(other).messages.edit({ messageId: deleted.id, text: "x" }), { code: "NOT_FOUND", oaCode: 2001 });
  });
});

describe("messages.label (free labels)", () => {
  it("stores one row per user and message, merging later values into it", async () => {
    const { author, reply, as } = await setup();
    const first = await as(author).messages.label({ messageId: reply.id, labels: { quality: 0.75, humor: 0.25 } });
    const second = await as(author).messages.label({ messageId: reply.id, labels: { quality: 1, helpfulness: 0.5 } });
    expect(second.id).toBe(first.id);
    expect(second.labels).toEqual({ quality: 1, humor: 0.25, helpfulness: 0.5 });
    const rows = await t.db.select().from(textLabels).where(and(eq(textLabels.messageId, reply.id), isNull(textLabels.taskId)));
    expect(rows).toHaveLength(1);
    expect((await as(author).messages.labelOptions({ messageId: reply.id })).current).toEqual(second.labels);
  });

  it("keeps a single row under concurrent submissions of the same user", async () => {
    const { author, reply, as } = await setup();
    await Promise.all(
      [0, 0.25, 0.5, 0.75, 1].map((value) => as(author).messages.label({ messageId: reply.id, labels: { quality: value } })),
    );
    const rows = await t.db.select().from(textLabels).where(and(eq(textLabels.messageId, reply.id), eq(textLabels.userId, author.id)));
    expect(rows).toHaveLength(1);
  });

  it("refuses labels outside the free list (2051), values outside [0, 1] and empty submissions, writing nothing", async () => {
    const { author, reply, as } = await setup();
    await expectAppError(as(author).messages.label({ messageId: reply.id, labels: { fails_task: 1 } }), {
      code: "BAD_REQUEST", appCode: "TEXT_LABELS_INVALID_LABEL", oaCode: 2051,
    });
    await expectAppError(as(author).messages.label({ messageId: reply.id, labels: { sarcasm: 1 } }), { code: "BAD_REQUEST", oaCode: 2051 });
    await expectAppError(as(author).messages.label({ messageId: reply.id, labels: { quality: 1.5 } }), { code: "BAD_REQUEST" });
    await expectAppError(as(author).messages.label({ messageId: reply.id, labels: { quality: -0.1 } }), { code: "BAD_REQUEST" });
    await expectAppError(as(author).messages.label({ messageId: reply.id, labels: {} }), { code: "BAD_REQUEST" });
    await expectAppError(as(author).messages.label({ messageId: crypto.randomUUID(), labels: { quality: 1 } }), { code: "NOT_FOUND", oaCode: 2001 });
    expect(await t.db.select().from(textLabels).where(eq(textLabels.messageId, reply.id))).toHaveLength(0);
  });

  it("offers the review labels of the message's kind without task-only labels, and the report list", async () => {
    const { author, root, reply, as } = await setup();
    const forReply = await as(author).messages.labelOptions({ messageId: reply.id });
    const names = forReply.labels.map((label) => label.name);
    expect(names).toContain("helpfulness");
    expect(names).not.toContain("fails_task");
    expect(forReply.reportLabels.map((label) => label.name)).toEqual([
      "spam", "not_appropriate", "pii", "hate_speech", "sexual_content", "moral_judgement", "political_content", "toxicity", "violence", "quality",
    ]);
    const forPrompt = await as(author).messages.labelOptions({ messageId: root.id });
    expect(forPrompt.labels.map((label) => label.name)).not.toContain("helpfulness");
    expect(forPrompt.labels.find((label) => label.name === "toxicity")).toMatchObject({ widget: "likert", inverted: true });
  });
});

describe("messages.label as a report", () => {
  it("raises the reporter's red flag, queues the message and keeps the reason", async () => {
    const { author, reply, as } = await setup();
    const report = await as(author).messages.label({ messageId: reply.id, labels: { spam: 1 }, text: "Advertising", isReport: true });
    expect(report).toMatchObject({ labels: { spam: 1 }, text: "Advertising" });
    expect((await readTestMessage(t.db, reply.id))!.emojis).toEqual({ red_flag: 1 });
    const emojis = await t.db.select().from(messageEmojis).where(eq(messageEmojis.messageId, reply.id));
    expect(emojis).toMatchObject([{ userId: author.id, emoji: "red_flag" }]);
    expect(await t.db.select().from(flaggedMessages).where(eq(flaggedMessages.messageId, reply.id))).toMatchObject([{ processed: false }]);
    // Reporting twice re-queues but does not count twice.
    await as(author).messages.label({ messageId: reply.id, text: "Still advertising", isReport: true });
    expect((await readTestMessage(t.db, reply.id))!.emojis).toEqual({ red_flag: 1 });
  });

  it("accepts only report labels", async () => {
    const { author, reply, as } = await setup();
    await expectAppError(as(author).messages.label({ messageId: reply.id, labels: { humor: 1 }, isReport: true }), { code: "BAD_REQUEST", oaCode: 2051 });
    expect((await readTestMessage(t.db, reply.id))!.emojis).toEqual({});
  });

  it("runs auto-moderation: the fourth report deletes a reply under review", async () => {
    const { root, author } = await setup();
    const pending = await insertTestMessage(t.db, { userId: author.id, parent: root, reviewResult: null, reviewCount: 0 });
    const reporters = await Promise.all(Array.from({ length: 4 }, () => createTestUser(t.db)));
    for (const reporter of reporters) {
      await callerFor(t.db, reporter.id).messages.label({ messageId: pending.id, labels: { hate_speech: 1 }, isReport: true });
    }
    expect((await readTestMessage(t.db, pending.id))!.deleted).toBe(true);
    expect((await readTestTreeState(t.db, root.id))!.state).toBe("growing");
  });
});
