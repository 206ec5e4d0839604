import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "@/server/db/schema";
import { computeLeaderScore } from "@/server/domain/leaderboard/score";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();

/** Small trees (as in the tree lifecycle test): 2 prompt reviews, 1 reply review, goal 3, 2 rankings. */
const SMALL = { goalTreeSize: 3, numReviewsInitialPrompt: 2, numReviewsReply: 1, numRequiredRankings: 2, maxChildrenCount: 2, maxTreeDepth: 2, pLonelyChildExtension: 0 };

describe("leaderboards from real contributions", () => {
  it("score a tree grown through tasks with consensus ranks and good rankings", async () => {
    const deps = testTreeDeps(SMALL);
    const [alice, bob, carol, dave, erin] = (await createContributors(t.db, deps, ["Alice", "Bob", "Carol", "Dave", "Erin"])) as Contributor[];
    const lang = "la";
    const { result: rootId } = await alice!.requestAndComplete("initial_prompt", lang);
    await bob!.requestAndComplete("label_initial_prompt", lang);
    await carol!.requestAndComplete("label_initial_prompt", lang);
    await bob!.requestAndComplete("assistant_reply", lang);
    await carol!.requestAndComplete("assistant_reply", lang);
    await dave!.requestAndComplete("label_assistant_reply", lang);
    await dave!.requestAndComplete("label_assistant_reply", lang);
    await alice!.requestAndComplete("rank_assistant_replies", lang);
    await erin!.requestAndComplete("rank_assistant_replies", lang);

    const moderator = await createTestUser(t.db, { role: "moderator" });
    expect(await callerFor(t.db, moderator.id).leaderboard.refresh({ timeFrame: "day" })).toEqual({ timeFrame: "day", recomputed: "all", rows: 5 });

    const board = await alice!.caller.leaderboard.list({ timeFrame: "day" });
    const byName = Object.fromEntries(board.entries.map((entry) => [entry.displayName, entry]));
    const replies = await t.db.select({ userId: messages.userId, rank: messages.rank }).from(messages).where(eq(messages.parentId, rootId!));
    const winner = replies.find((reply) => reply.rank === 0)!.userId === bob!.id ? "Bob" : "Carol";
    const runnerUp = winner === "Bob" ? "Carol" : "Bob";
    expect(byName[winner]).toMatchObject({ repliesAssistant: 1, acceptedRepliesAssistant: 1, replyRanked1: 1, replyRanked2: 0 });
    expect(byName[runnerUp]).toMatchObject({ replyRanked1: 0, replyRanked2: 1 });
    // Both rankers put the same reply first and it became the consensus winner.
    expect(byName.Alice).toMatchObject({ prompts: 1, acceptedPrompts: 1, rankingsTotal: 1, rankingsGood: 1 });
    expect(byName.Erin).toMatchObject({ rankingsTotal: 1, rankingsGood: 1, leaderScore: 2 });
    for (const entry of board.entries) expect(entry.leaderScore).toBe(computeLeaderScore(entry));
    expect(board.entries.map((entry) => entry.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(board.entries[0]).not.toHaveProperty("email");
    expect(board.viewer?.rank).toBe(byName.Alice!.rank);
    expect(board.lastUpdated).toBeInstanceOf(Date);

    // Every frame follows the contributions at once, not only the one refreshed (issue 11 item 5: the dashboard said 0
    // points while the day board had them); a full refresh of the total board then changes nothing.
    const mine = await bob!.caller.leaderboard.myStats();
    expect(mine.timeFrames.map((frame) => frame.timeFrame)).toEqual(["day", "week", "month", "total"]);
    expect(mine.totalScore).toBe(byName.Bob!.leaderScore);
    expect(mine.timeFrames.find((frame) => frame.timeFrame === "day")?.rank).toBe(byName.Bob!.rank);
    await callerFor(t.db, moderator.id).leaderboard.refresh({ timeFrame: "total" });
    const after = await bob!.caller.leaderboard.myStats();
    expect(after.timeFrames.map((frame) => frame.timeFrame)).toEqual(["day", "week", "month", "total"]);
    expect(after.totalScore).toBe(byName.Bob!.leaderScore);
  });
});

describe("access", () => {
  it("keeps the trollboard, other users' stats and refreshes to moderators", async () => {
    const user = await createTestUser(t.db);
    const caller = callerFor(t.db, user.id);
    await expectAppError(caller.leaderboard.trollboard({ timeFrame: "day" }), { code: "FORBIDDEN" });
    await expectAppError(caller.leaderboard.refresh({ timeFrame: "day" }), { code: "FORBIDDEN" });
    await expectAppError(caller.leaderboard.userStats({ userId: user.id }), { code: "FORBIDDEN" });
    await expectAppError(callerFor(t.db, null).leaderboard.list({ timeFrame: "day" }), { code: "UNAUTHORIZED" });
    const moderator = callerFor(t.db, (await createTestUser(t.db, { role: "moderator" })).id);
    expect(await moderator.leaderboard.trollboard({ timeFrame: "week", enabled: false })).toMatchObject({ timeFrame: "week", entries: [] });
    expect(await moderator.leaderboard.userStats({ userId: user.id })).toMatchObject({ level: 1, totalScore: 0 });
  });

  it("rejects out-of-range paging with BAD_REQUEST", async () => {
    const caller = callerFor(t.db, (await createTestUser(t.db)).id);
    await expectAppError(caller.leaderboard.list({ timeFrame: "day", pageSize: 500 }), { code: "BAD_REQUEST" });
    await expectAppError(caller.leaderboard.list({ timeFrame: "day", page: 0 }), { code: "BAD_REQUEST" });
  });
});
