import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { leaderboardDirtyUsers, trollStats, userStats } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";
import { flushDirtyUsers } from "./flush-dirty-users";
import { getMyLevel } from "./my-stats";
import { refreshTrollStats } from "./refresh-troll-stats";
import { refreshUserStats } from "./refresh-user-stats";
import { computeLeaderScore, levelForScore } from "./score";
import { TIME_FRAMES } from "./time-frames";

const t = setupTestDatabase();

/** Two prompt reviews, one reply review, goal 3: a tree reaches every scored state in a few tasks. */
const SMALL = { goalTreeSize: 3, numReviewsInitialPrompt: 2, numReviewsReply: 1, numRequiredRankings: 2, maxChildrenCount: 2, maxTreeDepth: 2, pLonelyChildExtension: 0 };

const counters = (row: typeof userStats.$inferSelect) => {
  const { modifiedDate: _modified, baseDate: _base, ...rest } = row;
  return rest;
};

describe("points you can trust (issue 11 item 5, issue 15 item 5)", () => {
  it("shows a scored contribution on every board, in the user's own stats and on the trollboard at once", async () => {
    const deps = testTreeDeps(SMALL);
    const [alice, bob, carol] = (await createContributors(t.db, deps, ["Alice", "Bob", "Carol"])) as Contributor[];
    const moderator = callerFor(t.db, (await createTestUser(t.db, { role: "moderator" })).id);
    await alice!.requestAndComplete("initial_prompt", "la");
    await bob!.requestAndComplete("label_initial_prompt", "la");
    await carol!.requestAndComplete("label_initial_prompt", "la");
    // No refresh job has run: the figures come from the contributions themselves.
    for (const timeFrame of TIME_FRAMES) {
      const board = await alice!.caller.leaderboard.list({ timeFrame });
      const byName = Object.fromEntries(board.entries.map((entry) => [entry.displayName, entry]));
      expect(byName.Alice).toMatchObject({ prompts: 1, acceptedPrompts: 1 });
      expect(byName.Bob).toMatchObject({ labelsFull: 1, leaderScore: 2 });
      expect(board.totalRanked).toBe(3);
      expect(board.entries.map((entry) => entry.rank)).toEqual([1, 2, 3]);
      for (const entry of board.entries) expect(entry.leaderScore).toBe(computeLeaderScore(entry));
      expect(board.viewer?.rank).toBe(byName.Alice!.rank);
      expect(board.lastUpdated).toBeInstanceOf(Date);
    }
    const bobs = await bob!.caller.leaderboard.myStats();
    expect(bobs.totalScore).toBe(2);
    expect(bobs.timeFrames.map((frame) => [frame.timeFrame, frame.leaderScore])).toEqual(TIME_FRAMES.map((frame) => [frame, 2]));
    const dayBoard = await bob!.caller.leaderboard.list({ timeFrame: "day" });
    expect(bobs.timeFrames[0]!.rank).toBe(dayBoard.viewer?.rank);

    // The reviews of Alice's prompt put her on the trollboard, with no refresh either.
    const trolls = await moderator.leaderboard.trollboard({ timeFrame: "day" });
    expect(trolls.entries.map((entry) => entry.displayName)).toEqual(["Alice"]);

    // Another contribution moves the author and everyone's rank at once.
    await bob!.requestAndComplete("assistant_reply", "la");
    const after = await carol!.caller.leaderboard.list({ timeFrame: "total" });
    expect(after.entries[0]).toMatchObject({ displayName: "Bob", leaderScore: 2 + 4, rank: 1 });
    expect((await bob!.caller.leaderboard.myStats()).totalScore).toBe(6);
    // The user menu's figure (every page) is the same one.
    expect(await getMyLevel(t.db, bob!.id)).toEqual({ level: levelForScore(6), totalScore: 6 });
  });

  it("computes exactly what a full rebuild computes", async () => {
    await flushDirtyUsers(t.db);
    const flushed = (await t.db.select().from(userStats)).map(counters);
    const flushedTrolls = await t.db.select().from(trollStats);
    for (const timeFrame of TIME_FRAMES) {
      await refreshUserStats(t.db, timeFrame);
      await refreshTrollStats(t.db, timeFrame);
    }
    const rebuilt = (await t.db.select().from(userStats)).map(counters);
    const key = (row: { userId: string; timeFrame: string }) => `${row.userId}:${row.timeFrame}`;
    const sort = <T extends { userId: string; timeFrame: string }>(rows: T[]) => rows.sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(flushed)).toEqual(sort(rebuilt));
    const trollCounters = (rows: (typeof trollStats.$inferSelect)[]) =>
      sort(rows.map(({ modifiedDate: _modified, baseDate: _base, ...rest }) => rest));
    expect(trollCounters(flushedTrolls)).toEqual(trollCounters(await t.db.select().from(trollStats)));
  });

  it("stays consistent while contributors and readers race", async () => {
    const deps = testTreeDeps({ ...SMALL, maxActiveTrees: 50, maxInitialPromptReview: 50 });
    const writers = await createContributors(t.db, deps, Array.from({ length: 8 }, (_, i) => `Writer ${i}`));
    const reader = callerFor(t.db, writers[0]!.id, {}, deps);
    const results = await Promise.allSettled([
      ...writers.map((writer) => writer.requestAndComplete("initial_prompt", "eo")),
      ...Array.from({ length: 6 }, () => reader.leaderboard.list({ timeFrame: "day", pageSize: 100 })),
      ...writers.slice(0, 3).map((writer) => writer.caller.leaderboard.myStats()),
    ]);
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    const board = await reader.leaderboard.list({ timeFrame: "day", pageSize: 100 });
    for (const writer of writers) expect(board.entries.find((entry) => entry.userId === writer.id)).toMatchObject({ prompts: 1 });
    const [left] = await t.db.select({ n: count() }).from(leaderboardDirtyUsers);
    expect(left!.n).toBe(0);
  });

  it("forgets a deleted contribution at once", async () => {
    const author = await createTestUser(t.db, { name: "Deleter" });
    const deps = testTreeDeps(SMALL);
    const caller = callerFor(t.db, author.id, {}, deps);
    const task = await caller.tasks.request({ type: "initial_prompt", lang: "eu" });
    await caller.tasks.ack({ taskId: task.id, frontendMessageId: crypto.randomUUID() });
    const { messageId } = await caller.tasks.submitReply({ taskId: task.id, text: "A prompt that will be deleted" });
    expect((await caller.leaderboard.myStats()).timeFrames[0]).toMatchObject({ prompts: 1 });
    const { messages } = await import("@/server/db/schema");
    await t.db.update(messages).set({ deleted: true }).where(eq(messages.id, messageId));
    expect((await caller.leaderboard.myStats()).timeFrames).toEqual([]);
  });
});
