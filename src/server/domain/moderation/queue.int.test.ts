import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { flaggedMessages, journal, messages, messageTreeStates, moderationQueueItems } from "@/server/db/schema";
import { insertTestMessage, insertTestTree, readTestTreeState } from "@/server/domain/messages/test-fixtures";
import { storeToxicity } from "@/server/domain/toxicity/store";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();

async function people() {
  const moderator = await createTestUser(t.db, { name: "Mo", role: "moderator" });
  const other = await createTestUser(t.db, { name: "Mia", role: "moderator" });
  const author = await createTestUser(t.db, { name: "Author" });
  const reporter = await createTestUser(t.db, { name: "Reporter" });
  return { moderator, other, author, reporter, as: (user: { id: string }) => callerFor(t.db, user.id) };
}

describe("moderation queue", () => {
  it("queues a reported message with its conversation and report, and a moderator works it through", async () => {
    const { moderator, author, reporter, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, lang: "qa" });
    const reply = await insertTestMessage(t.db, { userId: author.id, parent: root });
    await as(reporter).messages.label({ messageId: reply.id, labels: { spam: 1 }, text: "Nasty", isReport: true });

    const page = await as(moderator).admin.queue({ lang: "qa" });
    expect(page.items).toHaveLength(1);
    const item = page.items[0]!;
    expect(item).toMatchObject({ kind: "flagged", claim: null, message: { id: reply.id }, reports: [{ text: "Nasty", reporterName: "Reporter" }] });
    expect(item.conversation.map((message) => message.id)).toEqual([root.id, reply.id]);

    const claimed = await as(moderator).admin.claimNext({ lang: "qa" });
    expect(claimed).toMatchObject({ id: item.id, claim: { mine: true, name: "Mo" } });
    const deleted = await as(moderator).admin.act({ itemId: item.id, version: claimed!.version, action: "delete" });
    expect(deleted.message).toMatchObject({ deleted: true });
    const halted = await as(moderator).admin.act({ itemId: item.id, version: deleted.version, action: "halt" });
    expect(halted.treeState).toBe("halted_by_moderator");
    // A moderator's own halt is not queued for review as an auto-moderation stop.
    expect(await t.db.select().from(moderationQueueItems).where(eq(moderationQueueItems.kind, "auto_moderated"))).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ messageId: root.id })]),
    );
    const done = await as(moderator).admin.act({ itemId: item.id, version: halted.version, action: "reviewed" });
    expect(done.resolution).toMatchObject({ what: "reviewed", by: "Mo" });
    expect((await t.db.select().from(flaggedMessages).where(eq(flaggedMessages.messageId, reply.id)))[0]!.processed).toBe(true);
    expect((await as(moderator).admin.queue({ lang: "qa" })).items).toEqual([]);

    const events = await as(moderator).admin.journal({ actorId: moderator.id });
    expect(events.items.map((event) => event.eventType)).toEqual(
      ["moderation_queue_resolve", "moderation_halt_tree", "moderation_delete_message"],
    );
    expect(events.items.every((event) => event.actorName === "Mo")).toBe(true);

    // A fresh red flag reopens the reviewed item.
    await as(reporter).messages.setEmoji({ messageId: root.id, emoji: "red_flag" });
    await t.db.update(flaggedMessages).set({ processed: false }).where(eq(flaggedMessages.messageId, reply.id));
    expect((await as(moderator).admin.queue({ lang: "qa" })).items.map((open) => open.message?.id).sort()).toEqual([root.id, reply.id].sort());
  });

  it("never hands one item to two moderators claiming at once, and refuses an item someone else holds", async () => {
    const { moderator, other, author, reporter, as } = await people();
    for (let i = 0; i < 3; i++) {
      const root = await insertTestTree(t.db, { userId: author.id, lang: "qb" });
      await as(reporter).messages.setEmoji({ messageId: root.id, emoji: "red_flag" });
    }
    const [first, second] = await Promise.all([as(moderator).admin.claimNext({ lang: "qb" }), as(other).admin.claimNext({ lang: "qb" })]);
    expect(first && second && first.id !== second.id).toBe(true);
    // Asking again returns the item already held, not a third one.
    expect((await as(moderator).admin.claimNext({ lang: "qb" }))!.id).toBe(first!.id);
    await expectAppError(as(other).admin.act({ itemId: first!.id, version: first!.version, action: "dismiss" }), { code: "CONFLICT" });
    await expectAppError(as(other).admin.claim({ itemId: first!.id }), { code: "CONFLICT" });
    await as(moderator).admin.release({ itemId: first!.id });
    expect((await as(other).admin.claim({ itemId: first!.id })).claim).toMatchObject({ mine: true });
  });

  it("refuses an action on a version the moderator did not see (concurrent edits conflict)", async () => {
    const { moderator, author, reporter, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, lang: "qc" });
    await as(reporter).messages.setEmoji({ messageId: root.id, emoji: "red_flag" });
    const [item] = (await as(moderator).admin.queue({ lang: "qc" })).items;
    const results = await Promise.allSettled([
      as(moderator).admin.act({ itemId: item!.id, version: item!.version, action: "dismiss" }),
      as(moderator).admin.act({ itemId: item!.id, version: item!.version, action: "reviewed" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const failure = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    await expectAppError(Promise.reject(failure.reason), { code: "CONFLICT" });
  });

  it("queues rejected replies, skipped-a-lot messages and auto-moderated trees from the writers' own updates", async () => {
    const { moderator, author, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, lang: "qd", state: "growing" });
    const reply = await insertTestMessage(t.db, { userId: author.id, parent: root, reviewResult: null, reviewCount: 0 });
    await t.db.update(messages).set({ reviewResult: false }).where(eq(messages.id, reply.id));
    await t.db.update(messages).set({ emojis: { _skip_reply: 10 } }).where(eq(messages.id, root.id));
    await t.db.update(messageTreeStates).set({ state: "halted_by_moderator", active: false }).where(eq(messageTreeStates.messageTreeId, root.id));
    const kinds = (await as(moderator).admin.queue({ lang: "qd" })).items.map((item) => `${item.kind}:${item.message?.id}`).sort();
    expect(kinds).toEqual([`auto_moderated:${root.id}`, `rejected:${reply.id}`, `skipped:${root.id}`].sort());
    const summary = await as(moderator).admin.queueSummary();
    expect(summary.byKind.rejected).toBeGreaterThanOrEqual(1);
    expect(summary.oldestDetectedAt).toBeInstanceOf(Date);
    expect((await readTestTreeState(t.db, root.id))!.state).toBe("halted_by_moderator");
  });

  it("lets a moderator ban a contributor author from the queue but not a fellow moderator", async () => {
    const { moderator, other, author, reporter, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, lang: "qe" });
    const modRoot = await insertTestTree(t.db, { userId: other.id, lang: "qe" });
    await as(reporter).messages.setEmoji({ messageId: root.id, emoji: "red_flag" });
    await as(reporter).messages.setEmoji({ messageId: modRoot.id, emoji: "red_flag" });
    const items = (await as(moderator).admin.queue({ lang: "qe" })).items;
    const ofAuthor = items.find((item) => item.message?.id === root.id)!;
    const ofModerator = items.find((item) => item.message?.id === modRoot.id)!;
    await as(moderator).admin.act({ itemId: ofAuthor.id, version: ofAuthor.version, action: "ban" });
    await expectAppError(as(author).messages.mine(), { code: "FORBIDDEN", appCode: "USER_DISABLED" });
    await expectAppError(as(moderator).admin.act({ itemId: ofModerator.id, version: ofModerator.version, action: "ban" }), { code: "FORBIDDEN" });
    // The refused ban left the item as it was (same version, nothing journaled for it).
    expect((await as(moderator).admin.queue({ lang: "qe" })).items.find((item) => item.id === ofModerator.id)!.version).toBe(ofModerator.version);
    expect(await t.db.select().from(journal).where(eq(journal.eventType, "moderation_update_user"))).toHaveLength(1);
  });

  it("shows each item's journal: what every moderator did to the message, with names and times, newest first", async () => {
    const { moderator, other, author, reporter, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, lang: "qf" });
    await as(reporter).messages.setEmoji({ messageId: root.id, emoji: "red_flag" });
    const [item] = (await as(moderator).admin.queue({ lang: "qf" })).items;
    expect(item!.journal).toEqual([]);
    const deleted = await as(moderator).admin.act({ itemId: item!.id, version: item!.version, action: "delete" });
    const halted = await as(moderator).admin.act({ itemId: item!.id, version: deleted.version, action: "halt" });
    await as(moderator).admin.act({ itemId: item!.id, version: halted.version, action: "ban" });
    await as(moderator).admin.release({ itemId: item!.id });
    // Another moderator opening the item sees all three, by Mo, with when.
    const seen = (await as(other).admin.queue({ lang: "qf" })).items.find((open) => open.id === item!.id)!;
    expect(seen.journal.map((entry) => [entry.eventType, entry.actorName])).toEqual([
      ["moderation_update_user", "Mo"], ["moderation_halt_tree", "Mo"], ["moderation_delete_message", "Mo"],
    ]);
    expect(seen.journal[0]!.payload).toMatchObject({ userId: author.id, role: "banned" });
    expect(seen.journal.every((entry) => entry.createdDate instanceof Date && entry.actorId === moderator.id)).toBe(true);
  });

  it("files a message over the toxicity threshold under its own kind, apart from reports on it", async () => {
    const { moderator, author, reporter, as } = await people();
    const root = await insertTestTree(t.db, { userId: author.id, lang: "qg" });
    const quiet = await insertTestTree(t.db, { userId: author.id, lang: "qg" });
    expect(await storeToxicity(t.db, root.id, "tox-model", { label: "toxic", score: 0.97, toxicScore: 0.97 }, 0.9)).toBe(true);
    expect(await storeToxicity(t.db, quiet.id, "tox-model", { label: "toxic", score: 0.2, toxicScore: 0.2 }, 0.9)).toBe(false);
    let items = (await as(moderator).admin.queue({ lang: "qg" })).items;
    expect(items.map((item) => `${item.kind}:${item.message?.id}`)).toEqual([`toxic:${root.id}`]);
    expect(items[0]!.toxicity).toEqual([{ label: "toxic", score: 0.97 }]);
    expect((await as(moderator).admin.queue({ kind: "toxic", lang: "qg" })).items).toHaveLength(1);
    expect((await as(moderator).admin.queueSummary()).byKind.toxic).toBeGreaterThanOrEqual(1);
    // A contributor's report on the same message is a separate, `flagged` item.
    await as(reporter).messages.label({ messageId: root.id, labels: { spam: 1 }, text: "Rude", isReport: true });
    items = (await as(moderator).admin.queue({ lang: "qg" })).items;
    expect(items.map((item) => item.kind).sort()).toEqual(["flagged", "toxic"]);
    const toxic = items.find((item) => item.kind === "toxic")!;
    await as(moderator).admin.act({ itemId: toxic.id, version: toxic.version, action: "dismiss" });
    expect((await t.db.select().from(flaggedMessages).where(eq(flaggedMessages.messageId, root.id)))[0]!.processed).toBe(true);
  });
});
