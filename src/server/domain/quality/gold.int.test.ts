import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { journal, messages, messageTreeStates, qualityGoldAnswers, qualityReviewers, tasks, textLabels } from "@/server/db/schema";
import { checkInvariants, formatInvariantReport } from "@/server/domain/invariants/check-invariants";
import type { TreeManagerConfig } from "@/server/domain/trees/config";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { createContributors } from "@/test/task-driver";
import { computeQuality } from "./compute-quality";

const t = setupTestDatabase();

/** Prompts need 2 reviews, replies 2; every review request may be given a gold item when `pGoldReview` says so. */
const CONFIG: Partial<TreeManagerConfig> = {
  goalTreeSize: 4, numReviewsInitialPrompt: 2, numReviewsReply: 2, maxChildrenCount: 2, maxTreeDepth: 2, pLonelyChildExtension: 0,
};

/** A growing tree in `lang` with one assistant reply awaiting its reviews; returns the reply and the people. */
async function growingTree(lang: string, pGoldReview: number) {
  const deps = testTreeDeps({ ...CONFIG, pGoldReview });
  const [author, r1, r2, writer, reviewer] = await createContributors(t.db, deps, ["A", "R1", "R2", "W", "Rev"]);
  const { result: rootId } = await author!.requestAndComplete("initial_prompt", lang);
  await r1!.requestAndComplete("label_initial_prompt", lang);
  await r2!.requestAndComplete("label_initial_prompt", lang);
  const { result: replyId } = await writer!.requestAndComplete("assistant_reply", lang);
  const moderator = await createTestUser(t.db, { role: "moderator" });
  return { deps, rootId: rootId!, replyId: replyId!, reviewer: reviewer!, mod: callerFor(t.db, moderator.id, {}, deps), moderatorId: moderator.id };
}

/** Everything a review could change: the message's counts and decision, its reviews, its tree's state. */
async function treeSnapshot(rootId: string, replyId: string) {
  const [reply] = await t.db.select().from(messages).where(eq(messages.id, replyId));
  const [tree] = await t.db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, rootId));
  const labels = await t.db.select().from(textLabels).where(eq(textLabels.messageId, replyId));
  return { reviewCount: reply!.reviewCount, reviewResult: reply!.reviewResult, emojis: reply!.emojis, labels: labels.length, state: tree!.state, active: tree!.active };
}

describe("gold items", () => {
  it("a moderator marks a message gold with expected labels (journalled); bad input is a typed error", async () => {
    const { replyId, mod, moderatorId } = await growingTree("ga", 0);
    await expect(mod.quality.setGoldItem({ messageId: replyId, expected: {} })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(mod.quality.setGoldItem({ messageId: replyId, expected: { spam: 2 } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(mod.quality.setGoldItem({ messageId: crypto.randomUUID(), expected: { spam: 0 } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await mod.quality.goldItem({ messageId: replyId })).toBeNull();
    const item = await mod.quality.setGoldItem({ messageId: replyId, expected: { spam: 0, quality: 0.75 } });
    expect(item).toEqual({ messageId: replyId, expected: { spam: 0, quality: 0.75 }, answers: 0, correct: 0, total: 0 });
    const entries = await t.db.select().from(journal).where(and(eq(journal.messageId, replyId), eq(journal.eventType, "moderation_mark_gold")));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.userId).toBe(moderatorId);
    await mod.quality.removeGoldItem({ messageId: replyId });
    expect(await mod.quality.goldItem({ messageId: replyId })).toBeNull();
    await expect(mod.quality.removeGoldItem({ messageId: replyId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("is handed out as an ordinary review task, and answering it changes nothing in the tree", async () => {
    const { rootId, replyId, reviewer, mod } = await growingTree("gb", 1);
    const ordinary = await reviewer.caller.tasks.request({ type: "label_assistant_reply", lang: "gb" });
    await reviewer.caller.tasks.skip({ taskId: ordinary.id, reason: "later" });
    await mod.quality.setGoldItem({ messageId: replyId, expected: { spam: 0, quality: 0.75 } });
    const before = await treeSnapshot(rootId, replyId);

    const fresh = (await createContributors(t.db, testTreeDeps({ ...CONFIG, pGoldReview: 1 }), ["G"]))[0]!;
    const task = await fresh.caller.tasks.request({ type: "label_assistant_reply", lang: "gb" });
    const [row] = await t.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row!.gold).toBe(true);
    // Same type and payload as an ordinary review of the message; the DTO says nothing about gold.
    expect(task.type).toBe(ordinary.type);
    expect(Object.keys(task).sort()).toEqual(Object.keys(ordinary).sort());
    expect(Object.keys(task.payload).sort()).toEqual(Object.keys(ordinary.payload).sort());
    expect(task.payload).toMatchObject({ type: "label_assistant_reply", messageId: replyId, mode: "full" });

    await fresh.complete(task);
    expect(await treeSnapshot(rootId, replyId)).toEqual(before);
    const [answer] = await t.db.select().from(qualityGoldAnswers).where(eq(qualityGoldAnswers.userId, fresh.id));
    expect(answer).toMatchObject({ messageId: replyId, correct: 1, total: 2 });
    expect(await mod.quality.goldItem({ messageId: replyId })).toMatchObject({ answers: 1, correct: 1, total: 2 });
    const report = await checkInvariants(t.db);
    expect(report.ok, formatInvariantReport(report)).toBe(true);

    // Not the gold item again: the next request is the ordinary review of the same message, which does count.
    const next = await fresh.caller.tasks.request({ type: "label_assistant_reply", lang: "gb" });
    expect((await t.db.select().from(tasks).where(eq(tasks.id, next.id)))[0]!.gold).toBe(false);
    await fresh.complete(next);
    expect((await treeSnapshot(rootId, replyId)).reviewCount).toBe(before.reviewCount + 1);
  });

  it("an open gold task holds no review slot: every review the message still needs goes to a real reviewer", async () => {
    const { replyId, mod } = await growingTree("gd", 1);
    await mod.quality.setGoldItem({ messageId: replyId, expected: { spam: 0 } });
    const [g] = await createContributors(t.db, testTreeDeps({ ...CONFIG, pGoldReview: 1 }), ["G"]);
    const gold = await g!.caller.tasks.request({ type: "label_assistant_reply", lang: "gd" });
    expect((await t.db.select().from(tasks).where(eq(tasks.id, gold.id)))[0]!.gold).toBe(true);

    // The reply needs two reviews; the gold task stays open, and both slots still go to ordinary reviews.
    const reviewers = await createContributors(t.db, testTreeDeps({ ...CONFIG, pGoldReview: 0 }), ["R3", "R4"]);
    for (const reviewer of reviewers) {
      const task = await reviewer.caller.tasks.request({ type: "label_assistant_reply", lang: "gd" });
      expect(task.payload).toMatchObject({ messageId: replyId });
      expect((await t.db.select().from(tasks).where(eq(tasks.id, task.id)))[0]!.gold).toBe(false);
    }
  });

  it("a skipped gold task leaves no mark on the message and is not offered again", async () => {
    const { rootId, replyId, mod, deps } = await growingTree("gc", 1);
    await mod.quality.setGoldItem({ messageId: replyId, expected: { spam: 0 } });
    const before = await treeSnapshot(rootId, replyId);
    const [g] = await createContributors(t.db, deps, ["G"]);
    const task = await g!.caller.tasks.request({ type: "label_assistant_reply", lang: "gc" });
    expect((await t.db.select().from(tasks).where(eq(tasks.id, task.id)))[0]!.gold).toBe(true);
    await g!.caller.tasks.skip({ taskId: task.id, reason: "no idea" });
    expect(await treeSnapshot(rootId, replyId)).toEqual(before);
    const again = await g!.caller.tasks.request({ type: "label_assistant_reply", lang: "gc" });
    expect((await t.db.select().from(tasks).where(eq(tasks.id, again.id)))[0]!.gold).toBe(false);
  });

  it("with pGoldReview 0 no gold item is handed out", async () => {
    const { replyId, mod, deps } = await growingTree("gd", 0);
    await mod.quality.setGoldItem({ messageId: replyId, expected: { spam: 0 } });
    const [g] = await createContributors(t.db, deps, ["G"]);
    const task = await g!.caller.tasks.request({ type: "label_assistant_reply", lang: "gd" });
    expect((await t.db.select().from(tasks).where(eq(tasks.id, task.id)))[0]!.gold).toBe(false);
  });

  it("gold accuracy feeds the reviewer's agreement score", async () => {
    const { replyId, mod, deps } = await growingTree("ge", 1);
    await mod.quality.setGoldItem({ messageId: replyId, expected: { spam: 1, quality: 0 } });
    const [g] = await createContributors(t.db, deps, ["G"]);
    const task = await g!.caller.tasks.request({ type: "label_assistant_reply", lang: "ge" });
    await g!.complete(task); // says spam 0, quality 0: one of two right
    await t.db.transaction((tx) => computeQuality(tx));
    const [scored] = await t.db.select().from(qualityReviewers).where(eq(qualityReviewers.userId, g!.id));
    expect(scored).toMatchObject({ goldCorrect: 1, goldTrials: 2 });
    const summary = await mod.quality.summary({ lowest: 100 });
    expect(summary.reviewers.lowest.find((row) => row.userId === g!.id)).toMatchObject({ agreements: 1, trials: 2 });
  });
});
