import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messageReactions, messages, messageTreeStates, tasks } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";
import { importOasstTrees } from "@/server/domain/dataset/import-trees";
import { checkRankingCondition } from "@/server/domain/trees/conditions";

const t = setupTestDatabase();

/** Small trees for speed: 2 prompt reviews, 1 reply review, goal 3, 2 rankings per parent. */
const SMALL = {
  goalTreeSize: 3,
  numReviewsInitialPrompt: 2,
  numReviewsReply: 1,
  numRequiredRankings: 2,
  maxChildrenCount: 2,
  maxTreeDepth: 2,
  pLonelyChildExtension: 0,
};

async function treeState(treeId: string) {
  const [row] = await t.db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, treeId));
  return row!;
}

// Every scenario uses its own language, so trees of one scenario never serve tasks to another.
describe("a tree from initial prompt to ready_for_export (small config)", () => {
  it("passes review, the lottery, growing, ranking and scoring", async () => {
    const deps = testTreeDeps(SMALL);
    const [alice, bob, carol, dave, erin] = await createContributors(t.db, deps, ["Alice", "Bob", "Carol", "Dave", "Erin"]) as Contributor[] & { length: 5 };
    const lang = "aa";

    const { result: rootId } = await alice!.requestAndComplete("initial_prompt", lang);
    expect(await treeState(rootId!)).toMatchObject({ state: "initial_prompt_review", active: true, lang, goalTreeSize: 3 });

    await bob!.requestAndComplete("label_initial_prompt", lang);
    expect((await treeState(rootId!)).state).toBe("initial_prompt_review");
    await carol!.requestAndComplete("label_initial_prompt", lang);
    // Accepted → prompt_lottery_waiting → drawn at once (no growing tree in this language yet).
    const growing = await treeState(rootId!);
    expect(growing).toMatchObject({ state: "growing", active: true });
    expect(growing.wonPromptLotteryDate).toBeInstanceOf(Date);

    const { result: replyB } = await bob!.requestAndComplete("assistant_reply", lang);
    const { result: replyC } = await carol!.requestAndComplete("assistant_reply", lang);
    // root + 2 pending replies = goal: nothing more to write.
    expect((await dave!.caller.tasks.availability({ lang })).assistant_reply).toBe(0);
    await expect(dave!.request("assistant_reply", lang)).rejects.toMatchObject({ code: "NOT_FOUND" });

    await dave!.requestAndComplete("label_assistant_reply", lang);
    expect((await treeState(rootId!)).state).toBe("growing");
    await dave!.requestAndComplete("label_assistant_reply", lang);
    expect((await treeState(rootId!)).state).toBe("ranking");

    // Authors of the replies may not rank them.
    await expect(bob!.request("rank_assistant_replies", lang)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await alice!.requestAndComplete("rank_assistant_replies", lang);
    expect((await treeState(rootId!)).state).toBe("ranking");
    await erin!.requestAndComplete("rank_assistant_replies", lang);
    expect(await treeState(rootId!)).toMatchObject({ state: "ready_for_export", active: false });

    // Both rankers put the smaller id first, so the consensus does too.
    const ranked = await t.db.select({ id: messages.id, rank: messages.rank }).from(messages).where(eq(messages.parentId, rootId!));
    const [first, second] = [replyB!, replyC!].sort();
    expect(Object.fromEntries(ranked.map((row) => [row.id, row.rank]))).toEqual({ [first!]: 0, [second!]: 1 });
  });

  it("aborts a prompt the reviewers call spam", async () => {
    const deps = testTreeDeps(SMALL);
    const [alice, bob, carol] = await createContributors(t.db, deps, ["A", "B", "C"]);
    const { result: rootId } = await alice!.requestAndComplete("initial_prompt", "ab");
    await bob!.requestAndComplete("label_initial_prompt", "ab", { spam: 1 });
    await carol!.requestAndComplete("label_initial_prompt", "ab", { spam: 1 });
    expect(await treeState(rootId!)).toMatchObject({ state: "aborted_low_grade", active: false });
    const [root] = await t.db.select().from(messages).where(eq(messages.id, rootId!));
    expect(root!.reviewResult).toBe(false);
  });

  it("keeps an accepted prompt waiting while the language has all the growing trees it may have", async () => {
    const deps = testTreeDeps({ ...SMALL, maxActiveTrees: 0, maxInitialPromptReview: 5 });
    const [alice, bob, carol] = await createContributors(t.db, deps, ["A", "B", "C"]);
    const { result: rootId } = await alice!.requestAndComplete("initial_prompt", "ac");
    await bob!.requestAndComplete("label_initial_prompt", "ac");
    await carol!.requestAndComplete("label_initial_prompt", "ac");
    expect(await treeState(rootId!)).toMatchObject({ state: "prompt_lottery_waiting", active: false });
  });

  it("moves a tree with nothing to rank straight from ranking to ready_for_export", async () => {
    const deps = testTreeDeps({ ...SMALL, goalTreeSize: 2 });
    const [alice, bob, carol] = await createContributors(t.db, deps, ["A", "B", "C"]);
    const { result: rootId } = await alice!.requestAndComplete("initial_prompt", "ad");
    await bob!.requestAndComplete("label_initial_prompt", "ad");
    await carol!.requestAndComplete("label_initial_prompt", "ad");
    await bob!.requestAndComplete("assistant_reply", "ad");
    await carol!.requestAndComplete("label_assistant_reply", "ad");
    expect(await treeState(rootId!)).toMatchObject({ state: "ready_for_export", active: false });
  });

  it("halts a growing tree whose messages were all deleted", async () => {
    const deps = testTreeDeps(SMALL);
    const [alice, bob, carol] = await createContributors(t.db, deps, ["A", "B", "C"]);
    const { result: rootId } = await alice!.requestAndComplete("initial_prompt", "ae");
    await bob!.requestAndComplete("label_initial_prompt", "ae");
    await carol!.requestAndComplete("label_initial_prompt", "ae");
    await t.db.update(messages).set({ deleted: true }).where(eq(messages.messageTreeId, rootId!));
    await t.db.transaction((tx) => checkRankingCondition(tx, rootId!, deps));
    expect(await treeState(rootId!)).toMatchObject({ state: "halted_by_moderator", active: false });
  });

  it("activates a backlog tree when an active tree of its language turns terminal", async () => {
    const deps = testTreeDeps({ ...SMALL, pActivateBacklogTree: 1 });
    const rootId = crypto.randomUUID();
    const replies = [crypto.randomUUID(), crypto.randomUUID()].map((id) => ({ message_id: id, text: `r ${id}`, role: "assistant" as const, lang: "af" }));
    const line = JSON.stringify({ message_tree_id: rootId, prompt: { message_id: rootId, text: "imported", role: "prompter", lang: "af", replies } });
    await importOasstTrees(t.db, [line], { origin: "test", numActivate: 0 });
    expect((await treeState(rootId)).state).toBe("backlog_ranking");

    const [alice, bob, carol] = await createContributors(t.db, deps, ["A", "B", "C"]);
    const { result: spamId } = await alice!.requestAndComplete("initial_prompt", "af");
    await bob!.requestAndComplete("label_initial_prompt", "af", { spam: 1 });
    await carol!.requestAndComplete("label_initial_prompt", "af", { spam: 1 });
    expect((await treeState(spamId!)).state).toBe("aborted_low_grade");
    expect(await treeState(rootId)).toMatchObject({ state: "ranking", active: true });
  });
});

describe("scoring failures and not-rankable rankings", () => {
  it("marks a tree scoring_failed when its rankings cannot be scored, leaving ranks untouched", async () => {
    const deps = testTreeDeps({ ...SMALL, numRequiredRankings: 1 });
    const [a, b, c, d] = await createContributors(t.db, deps, ["A", "B", "C", "D"]);
    const { result: rootId } = await a!.requestAndComplete("initial_prompt", "ah");
    await b!.requestAndComplete("label_initial_prompt", "ah");
    await c!.requestAndComplete("label_initial_prompt", "ah");
    await b!.requestAndComplete("assistant_reply", "ah");
    await c!.requestAndComplete("assistant_reply", "ah");
    await d!.requestAndComplete("label_assistant_reply", "ah");
    await d!.requestAndComplete("label_assistant_reply", "ah");
    const task = await d!.request("rank_assistant_replies", "ah");
    if (task.payload.type !== "rank_assistant_replies") throw new Error("expected a rank task");
    await d!.ack(task);
    const [x, y] = task.payload.replies.map((reply) => reply.id) as [string, string];
    // A corrupt stored ranking (an id twice, as a buggy client or import might leave) makes the consensus throw.
    const [corruptTask] = await t.db.insert(tasks).values({ userId: a!.id, type: "rank_assistant_replies", payload: {}, done: true }).returning();
    await t.db.insert(messageReactions).values({
      taskId: corruptTask!.id, userId: a!.id, messageId: rootId!,
      payload: { type: "message_ranking", rankedMessageIds: [x, x, y], rankingParentId: rootId!, messageTreeId: rootId!, notRankable: false },
    });
    await d!.caller.tasks.submitRanking({ taskId: task.id, rankedMessageIds: [x, y] });
    expect(await treeState(rootId!)).toMatchObject({ state: "scoring_failed", active: false });
    const replies = await t.db.select().from(messages).where(eq(messages.parentId, rootId!));
    expect(replies.every((reply) => reply.rank === null)).toBe(true);
  });

  it("stores a not-rankable ranking and still counts it", async () => {
    const deps = testTreeDeps({ ...SMALL, numRequiredRankings: 1 });
    const [a, b, c, d] = await createContributors(t.db, deps, ["A", "B", "C", "D"]);
    const { result: rootId } = await a!.requestAndComplete("initial_prompt", "ai");
    await b!.requestAndComplete("label_initial_prompt", "ai");
    await c!.requestAndComplete("label_initial_prompt", "ai");
    await b!.requestAndComplete("assistant_reply", "ai");
    await c!.requestAndComplete("assistant_reply", "ai");
    await d!.requestAndComplete("label_assistant_reply", "ai");
    await d!.requestAndComplete("label_assistant_reply", "ai");
    const task = await d!.request("rank_assistant_replies", "ai");
    if (task.payload.type !== "rank_assistant_replies") throw new Error("expected a rank task");
    await d!.ack(task);
    await d!.caller.tasks.submitRanking({ taskId: task.id, rankedMessageIds: task.payload.replies.map((r) => r.id), notRankable: true });
    const [reaction] = await t.db.select().from(messageReactions).where(eq(messageReactions.taskId, task.id));
    expect(reaction!.payload.notRankable).toBe(true);
    expect((await treeState(rootId!)).state).toBe("ready_for_export");
  });
});

describe("a tree grown with the default configuration through random tasks", () => {
  it("reaches ready_for_export", { timeout: 240_000 }, async () => {
    const deps = testTreeDeps({}, 7);
    const team = await createContributors(t.db, deps, Array.from({ length: 10 }, (_, i) => `Member ${i}`));
    const lang = "ag";
    const { result: rootId } = await team[0]!.requestAndComplete("initial_prompt", lang);
    const seen = new Set<string>();
    for (let round = 0; round < 120 && (await treeState(rootId!)).state !== "ready_for_export"; round++) {
      for (const member of team) {
        const task = await member.request("random", lang).catch(() => null);
        if (!task) continue;
        seen.add(task.type);
        // Keep it to one tree: new prompts are answered by skipping.
        if (task.type === "initial_prompt") await member.caller.tasks.skip({ taskId: task.id, reason: "test keeps one tree" });
        else await member.complete(task);
      }
    }
    expect(await treeState(rootId!)).toMatchObject({ state: "ready_for_export", goalTreeSize: 12 });
    const tree = await t.db.select().from(messages).where(eq(messages.messageTreeId, rootId!));
    expect(tree.filter((m) => m.reviewResult).length).toBeGreaterThanOrEqual(12);
    expect(Math.max(...tree.map((m) => m.depth))).toBeLessThanOrEqual(3);
    expect([...seen]).toEqual(
      expect.arrayContaining(["label_initial_prompt", "assistant_reply", "prompter_reply", "label_assistant_reply", "label_prompter_reply", "rank_assistant_replies"]),
    );
  });
});
