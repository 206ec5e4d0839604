import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { trollStats, users, userStats } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import { getLeaderboard, rankOf } from "./read-leaderboard";
import { getMyStats } from "./my-stats";
import { LEADER_SCORE_SQL, refreshUserStats } from "./refresh-user-stats";
import { refreshTrollStats } from "./refresh-troll-stats";
import { hoursAgo, seedLabels, seedLabelTask, seedMessage, seedRanking, seedTree } from "./scenario.test-helper";
import { computeLeaderScore, type LeaderScoreStats } from "./score";
import { getTrollboard } from "./trollboard";
import type { TimeFrame } from "./time-frames";

const t = setupTestDatabase();

/**
 * The scenario (all in the last hour unless said otherwise):
 * - Ann: 12 prompts (10 accepted; one in a tree aborted as low grade, its root upvoted twice and red-flagged once),
 *   1 accepted prompter reply, an accepted assistant reply 3 days ago; label tasks: 2 simple, 1 full 20 days ago,
 *   1 full not done; ranks the three replies under her first prompt with Ben's first (the consensus winner).
 * - Ben: the consensus winner (accepted assistant reply, rank 0, downvoted once); a full label task 60 days ago.
 * - Eve: the runner-up (rank 1), labelled by two reviewers; an unreviewed prompt 60 days ago.
 * - Dan (disabled): third (rank 2). Cat (hidden from leaderboards): ranks the replies with Eve's first.
 */
const people: Record<"ann" | "ben" | "cat" | "dan" | "eve", string> = { ann: "", ben: "", cat: "", dan: "", eve: "" };

beforeAll(async () => {
  for (const name of Object.keys(people) as (keyof typeof people)[]) {
    const user = await createTestUser(t.db, {
      name: name[0]!.toUpperCase() + name.slice(1),
      showOnLeaderboard: name !== "cat",
      enabled: name !== "dan",
    });
    people[name] = user.id;
  }
  const { ann, ben, cat, dan, eve } = people;
  const root = await seedMessage(t.db, { userId: ann, reviewResult: true, emojis: { "+1": 2, red_flag: 1 } });
  await seedTree(t.db, root, "ranking");
  for (let i = 0; i < 11; i++) {
    const prompt = await seedMessage(t.db, { userId: ann, reviewResult: i < 9 });
    if (i === 10) await seedTree(t.db, prompt, "aborted_low_grade");
  }
  const r1 = await seedMessage(t.db, { userId: ben, parentId: root, treeId: root, reviewResult: true, rank: 0, emojis: { "-1": 1 } });
  const r2 = await seedMessage(t.db, { userId: eve, parentId: root, treeId: root, reviewResult: true, rank: 1 });
  const r3 = await seedMessage(t.db, { userId: dan, parentId: root, treeId: root, reviewResult: true, rank: 2 });
  await seedMessage(t.db, { userId: ann, parentId: r1, treeId: root, role: "prompter", reviewResult: true });
  await seedMessage(t.db, { userId: ann, parentId: r2, treeId: root, role: "assistant", reviewResult: true, createdDate: hoursAgo(72) });
  await seedMessage(t.db, { userId: eve, reviewResult: null, createdDate: hoursAgo(24 * 60) });
  await seedRanking(t.db, ann, root, [r1, r2, r3], hoursAgo(0.5));
  await seedRanking(t.db, cat, root, [r2, r1, r3], hoursAgo(0.5));
  await seedLabelTask(t.db, ann, "simple", hoursAgo(1));
  await seedLabelTask(t.db, ann, "simple", hoursAgo(1));
  await seedLabelTask(t.db, ann, "full", hoursAgo(24 * 20));
  await seedLabelTask(t.db, ann, "full", hoursAgo(1), false);
  await seedLabelTask(t.db, ben, "full", hoursAgo(24 * 60));
  await seedLabels(t.db, ann, r2, { spam: 0, lang_mismatch: 1, quality: 0.5 });
  await seedLabels(t.db, ben, r2, { spam: 1, lang_mismatch: 0.25, quality: 1, pii: 0.5 });
  for (const timeFrame of ["day", "week", "month", "total"] as const) {
    await refreshUserStats(t.db, timeFrame);
    await refreshTrollStats(t.db, timeFrame);
  }
});

async function statsOf(timeFrame: TimeFrame, userId: string) {
  const [row] = await t.db.select().from(userStats).where(and(eq(userStats.timeFrame, timeFrame), eq(userStats.userId, userId)));
  return row;
}

describe("user stats refresh", () => {
  it("counts the day exactly as the spec's formula computed by hand", async () => {
    const ann = await statsOf("day", people.ann);
    expect(ann).toMatchObject({ prompts: 12, acceptedPrompts: 10, repliesAssistant: 0, repliesPrompter: 1, acceptedRepliesPrompter: 1,
      labelsSimple: 2, labelsFull: 0, rankingsTotal: 1, rankingsGood: 1, replyRanked1: 0 });
    // int(12·0.1) + int(10·0.1) + 1 prompter reply + 1 accepted + 2 simple labels + 1 ranking + 1 good ranking
    expect(ann!.leaderScore).toBe(1 + 1 + 1 + 1 + 2 + 1 + 1);
    // 4·1 assistant reply + 4·1 accepted + 9·1 first place
    expect((await statsOf("day", people.ben))!.leaderScore).toBe(4 + 4 + 9);
    // 4 + 4 + 3·1 second place
    expect((await statsOf("day", people.eve))!.leaderScore).toBe(4 + 4 + 3);
    // third place counts once (1) on top of the reply; Cat's ranking disagreed with the consensus, so it is not good
    expect((await statsOf("day", people.dan))!.leaderScore).toBe(4 + 4 + 1);
    expect(await statsOf("day", people.cat)).toMatchObject({ rankingsTotal: 1, rankingsGood: 0, leaderScore: 1 });
  });

  it("widens with the time frame", async () => {
    expect((await statsOf("week", people.ann))!.leaderScore).toBe(8 + 4 + 4); // + the assistant reply of 3 days ago
    expect((await statsOf("month", people.ann))!.leaderScore).toBe(16 + 2); // + the full label of 20 days ago
    expect((await statsOf("total", people.ann))!.leaderScore).toBe(18);
    expect((await statsOf("total", people.ben))!.leaderScore).toBe(17 + 2); // + the full label of 60 days ago
    // Eve's unreviewed prompt of 60 days ago: prompts = 1, int(0.1) = 0 points
    expect(await statsOf("total", people.eve)).toMatchObject({ prompts: 1, leaderScore: 11 });
    expect((await statsOf("week", people.ben))!.labelsFull).toBe(0);
  });

  it("stores scores equal to computeLeaderScore of the stored counters", async () => {
    for (const row of await t.db.select().from(userStats)) expect(row.leaderScore).toBe(computeLeaderScore(row));
  });

  it("ranks visible users 1..n by score, leaving hidden and disabled users unranked", async () => {
    // Ranks are computed when read (no stored rank): every user with a row in the frame, ranked or not.
    const ranks = async (timeFrame: TimeFrame) => {
      const rows = await t.db.select({ userId: userStats.userId }).from(userStats).where(eq(userStats.timeFrame, timeFrame));
      return Object.fromEntries(await Promise.all(rows.map(async (row) => [row.userId, await rankOf(t.db, timeFrame, row.userId)])));
    };
    expect(await ranks("day")).toEqual({ [people.ben]: 1, [people.eve]: 2, [people.ann]: 3, [people.cat]: null, [people.dan]: null });
    expect(await ranks("total")).toMatchObject({ [people.ben]: 1, [people.ann]: 2, [people.eve]: 3 });
    const board = await getLeaderboard(t.db, { timeFrame: "day", page: 1, pageSize: 10, viewerId: null, windowSize: 0 });
    expect(board.entries.map((entry) => [entry.userId, entry.rank])).toEqual([[people.ben, 1], [people.eve, 2], [people.ann, 3]]);
  });

  it("drops users without activity in the frame on the next refresh, and follows visibility changes at once", async () => {
    await t.db.update(users).set({ showOnLeaderboard: false }).where(eq(users.id, people.eve));
    // Visibility is applied when read: no refresh needed for Eve to leave the ranks and Ann to move up.
    expect(await rankOf(t.db, "day", people.eve)).toBeNull();
    expect(await rankOf(t.db, "day", people.ann)).toBe(2);
    const ghost = await createTestUser(t.db);
    await t.db.insert(userStats).values({ userId: ghost.id, timeFrame: "day", leaderScore: 99 });
    await refreshUserStats(t.db, "day");
    expect(await statsOf("day", ghost.id)).toBeUndefined();
    expect(await statsOf("day", people.eve)).toMatchObject({ leaderScore: 11 });
    expect(await rankOf(t.db, "day", people.eve)).toBeNull();
    await t.db.update(users).set({ showOnLeaderboard: true }).where(eq(users.id, people.eve));
    expect(await rankOf(t.db, "day", people.eve)).toBe(2);
    expect(await rankOf(t.db, "day", people.ann)).toBe(3);
  });
});

describe("LEADER_SCORE_SQL", () => {
  it("equals computeLeaderScore on random counters", async () => {
    const names = ["prompts", "repliesAssistant", "repliesPrompter", "labelsSimple", "labelsFull", "rankingsTotal", "rankingsGood",
      "acceptedPrompts", "acceptedRepliesAssistant", "acceptedRepliesPrompter", "replyRanked1", "replyRanked2", "replyRanked3"] as const;
    const column = (name: string) => name.replace(/[A-Z0-9]/g, (c) => (/[0-9]/.test(c) ? `_${c}` : `_${c.toLowerCase()}`));
    for (let sample = 0; sample < 50; sample++) {
      const counters = Object.fromEntries(names.map((name) => [name, Math.floor(Math.random() * (sample < 10 ? 30 : 5000))])) as LeaderScoreStats;
      const values = sql.raw(names.map((name) => `${counters[name]}::int as ${column(name)}`).join(", "));
      const [row] = await t.db.execute<{ score: number }>(sql`select ${LEADER_SCORE_SQL} as score from (select ${values}) c`);
      expect(Number(row!.score)).toBe(computeLeaderScore(counters));
    }
  });
});

describe("reading the leaderboard", () => {
  it("pages through ranked users and shows the viewer's window", async () => {
    const first = await getLeaderboard(t.db, { timeFrame: "day", page: 1, pageSize: 2, viewerId: people.ann, windowSize: 3 });
    expect(first.entries.map((entry) => [entry.rank, entry.displayName, entry.leaderScore])).toEqual([[1, "Ben", 17], [2, "Eve", 11]]);
    expect(first.totalRanked).toBe(3);
    expect(first.lastUpdated).toBeInstanceOf(Date);
    expect(first.viewer).toMatchObject({ rank: 3 });
    expect(first.viewer!.window.map((entry) => entry.rank)).toEqual([2, 3]);
    expect(first.entries[0]).not.toHaveProperty("email");
    const second = await getLeaderboard(t.db, { timeFrame: "day", page: 2, pageSize: 2, viewerId: people.cat, windowSize: 3 });
    expect(second.entries.map((entry) => entry.displayName)).toEqual(["Ann"]);
    expect(second.viewer).toBeNull(); // Cat is hidden
  });

  it("removes a user banned since the last refresh at once", async () => {
    await t.db.update(users).set({ role: "banned" }).where(eq(users.id, people.eve));
    const board = await getLeaderboard(t.db, { timeFrame: "day", page: 1, pageSize: 20, viewerId: null, windowSize: 3 });
    expect(board.entries.map((entry) => entry.displayName)).toEqual(["Ben", "Ann"]);
    await t.db.update(users).set({ role: "general" }).where(eq(users.id, people.eve));
  });

  it("gives a user's stats per time frame with level and points to the next level", async () => {
    const stats = await getMyStats(t.db, people.ann);
    expect(stats.totalScore).toBe(18);
    // thresholds 0, 4, 9, 16, 24: 18 points is level 4, 6 points short of level 5
    expect(stats).toMatchObject({ level: 4, pointsToNextLevel: 6, levelStartsAt: 16, nextLevelAt: 24 });
    expect(stats.timeFrames.map((frame) => [frame.timeFrame, frame.leaderScore])).toEqual([["day", 8], ["week", 16], ["month", 18], ["total", 18]]);
    const nobody = await createTestUser(t.db);
    expect(await getMyStats(t.db, nobody.id)).toMatchObject({ level: 1, totalScore: 0, pointsToNextLevel: 4, timeFrames: [] });
  });
});

describe("troll stats", () => {
  it("count votes, flags, spam prompts and labels per author with OA's score", async () => {
    const rows = Object.fromEntries((await t.db.select().from(trollStats).where(eq(trollStats.timeFrame, "day"))).map((row) => [row.userId, row]));
    // 3·1 red flag − 2 upvotes + 1 prompt in an aborted_low_grade tree
    expect(rows[people.ann]).toMatchObject({ redFlags: 1, upvotes: 2, spamPrompts: 1, trollScore: 2 });
    expect(rows[people.ben]).toMatchObject({ downvotes: 1, trollScore: 1 });
    // flags count at ≥ 0.5: lang_mismatch 1 (of 1 and 0.25), pii 1, spam 1 (spam is not in the score)
    expect(rows[people.eve]).toMatchObject({ langMismatch: 1, pii: 1, spam: 1, trollScore: 2 });
    expect(rows[people.eve]!.quality).toBeCloseTo(0.75);
    expect(rows[people.dan]).toMatchObject({ trollScore: 0 });
    expect(rows[people.cat]).toBeUndefined(); // wrote nothing
    // Ranked when read: the tie at 2 broken by user id.
    const [a, b] = [people.ann, people.eve].sort();
    const board = await getTrollboard(t.db, { timeFrame: "day", enabled: true, page: 1, pageSize: 2 });
    expect(board.entries.map((entry) => [entry.userId, entry.rank])).toEqual([[a, 1], [b, 2]]);
  });

  it("serve the trollboard for active and for disabled users", async () => {
    const active = await getTrollboard(t.db, { timeFrame: "day", enabled: true, page: 1, pageSize: 10 });
    expect(active.entries.map((entry) => entry.trollScore)).toEqual([2, 2, 1]);
    const disabled = await getTrollboard(t.db, { timeFrame: "day", enabled: false, page: 1, pageSize: 10 });
    expect(disabled.entries.map((entry) => entry.displayName)).toEqual(["Dan"]);
  });
});
