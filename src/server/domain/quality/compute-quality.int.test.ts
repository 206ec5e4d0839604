import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messages, qualityLabelAgreement, qualityReviewers, qualitySiblingGroups, users } from "@/server/db/schema";
import { anonymizedUuid } from "@/server/domain/dataset/anonymizer";
import { exportJudgements, type LabelJudgement, type RankingJudgement } from "@/server/domain/dataset/export-judgements";
import { exportTrees } from "@/server/domain/dataset/export-trees";
import { ZExportMessageTree } from "@/server/domain/dataset/oasst-schema";
import { collect } from "@/server/domain/dataset/test-trees";
import { seedLabels, seedMessage, seedRanking, seedTree } from "@/server/domain/leaderboard/scenario.test-helper";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { krippendorffAlpha, wilsonLowerBound } from "./agreement";
import { computeQuality } from "./compute-quality";
import { markGoldItem, pickGoldItem, recordGoldAnswer } from "./gold";

const t = setupTestDatabase();
let u: string[] = [];
let ids: Record<string, string> = {};
let report: Awaited<ReturnType<typeof computeQuality>>;

beforeAll(async () => {
  const rows = await t.db.insert(users).values(["r1", "r2", "r3", "r4"].map((name) => ({ name }))).returning();
  // Sorted by id: the job lists each message's values in reviewer-id order.
  u = rows.map((row) => row.id).sort();
  const prompt = await seedMessage(t.db, { userId: u[3]!, createdDate: new Date("2024-01-10T00:00:00Z") });
  const reply = (_name: string) => seedMessage(t.db, { userId: null, parentId: prompt, treeId: prompt, createdDate: new Date("2024-01-11T00:00:00Z") });
  const [a, b, c] = [await reply("a"), await reply("b"), await reply("c")];
  const de = await seedMessage(t.db, { userId: u[3]!, lang: "de", createdDate: new Date("2024-02-02T00:00:00Z") });
  const gone = await seedMessage(t.db, { userId: u[3]!, deleted: true, createdDate: new Date("2024-01-12T00:00:00Z") });
  ids = { prompt, a: a!, b: b!, c: c!, de };
  const review = (user: number, message: string, spam: number, quality: number) => seedLabels(t.db, u[user]!, message, { spam, quality });
  await review(0, a!, 0, 0.75);
  await review(1, a!, 0, 0.75);
  await review(2, a!, 1, 0.5);
  await review(0, b!, 0, 1);
  await review(1, b!, 0, 0.75);
  await review(2, b!, 0, 1);
  await review(0, de, 1, 0.25);
  await review(1, de, 1, 0);
  // Reviews of a deleted message do not count.
  await review(0, gone, 1, 1);
  await review(1, gone, 0, 0);
  const when = new Date("2024-01-12T00:00:00Z");
  await seedRanking(t.db, u[0]!, prompt, [a!, b!, c!], when);
  await seedRanking(t.db, u[1]!, prompt, [a!, c!, b!], when);
  await seedRanking(t.db, u[2]!, prompt, [b!, a!, c!], when);
  await seedTree(t.db, prompt, "ready_for_export");
  report = await t.db.transaction((tx) => computeQuality(tx));
});

describe("computeQuality", () => {
  it("stores Krippendorff's α per label overall, by language and by month, as the tested formula gives it", async () => {
    expect(report).toMatchObject({ siblingGroups: 1, reviewers: 3 });
    const rows = await t.db.select().from(qualityLabelAgreement);
    const find = (label: string, scope: string, key: string) => rows.find((r) => r.label === label && r.scope === scope && r.key === key);
    const spamAll = krippendorffAlpha([[0, 0, 1], [0, 0, 0], [1, 1]], "nominal");
    expect(find("spam", "all", "")).toMatchObject({ metric: "nominal", units: 3, values: 8 });
    expect(find("spam", "all", "")!.alpha).toBeCloseTo(spamAll.alpha!, 5);
    expect(find("quality", "all", "")!.metric).toBe("interval");
    expect(find("quality", "all", "")!.alpha).toBeCloseTo(krippendorffAlpha([[0.75, 0.75, 0.5], [1, 0.75, 1], [0.25, 0]], "interval").alpha!, 5);
    expect(find("quality", "lang", "en")!.alpha).toBeCloseTo(krippendorffAlpha([[0.75, 0.75, 0.5], [1, 0.75, 1]], "interval").alpha!, 5);
    expect(find("spam", "month", "2024-02")).toMatchObject({ units: 1, values: 2, alpha: null });
    expect(find("spam", "lang", "en")).toMatchObject({ units: 2, values: 6 });
  });

  it("stores W, the consensus margin and Bradley–Terry strengths of each ranked sibling group", async () => {
    const [group] = await t.db.select().from(qualitySiblingGroups).where(eq(qualitySiblingGroups.parentId, ids.prompt!));
    // Hand values (agreement.test.ts): W = 4/9; consensus a, b, c with each step won 2 to 1.
    expect(group!.kendallW).toBeCloseTo(4 / 9, 5);
    expect(group!.consensusMargin).toBeCloseTo(1 / 3, 5);
    expect(group!.rankings).toBe(3);
    const { a, b, c } = { a: group!.strengths[ids.a!]!, b: group!.strengths[ids.b!]!, c: group!.strengths[ids.c!]! };
    expect(a.strength).toBeGreaterThan(b.strength);
    expect(b.strength).toBeGreaterThan(c.strength);
    for (const s of [a, b, c]) expect(s.lower).toBeLessThanOrEqual(s.strength);
  });

  it("scores reviewers by agreement with the others, with the Wilson lower bound", async () => {
    const rows = new Map((await t.db.select().from(qualityReviewers)).map((row) => [row.userId, row]));
    // Spam with three reviews: message a (0, 0, 1) and b (0, 0, 0). On a, the first reviewer's others split 0/1
    // (no majority, no trial); the third reviewer's others say 0 (a disagreement). The fourth user only authored.
    expect(rows.get(u[0]!)).toMatchObject({ labelAgreements: 1, labelTrials: 1, rankingTrials: 1 });
    expect(rows.get(u[2]!)).toMatchObject({ labelAgreements: 1, labelTrials: 2 });
    expect(rows.has(u[3]!)).toBe(false);
    for (const row of rows.values()) {
      const expected = wilsonLowerBound(row.labelAgreements + row.rankingAgreements, row.labelTrials + row.rankingTrials);
      expect(row.score).toBeCloseTo(expected, 5);
    }
  });

  it("exports each ranked reply's strength and interval as optional fields that keep the oasst format valid", async () => {
    const [line] = await collect(exportTrees(t.db, { states: "all", synthetic: "include", spam: "include" }));
    const tree = ZExportMessageTree.parse(JSON.parse(line!));
    const [group] = await t.db.select().from(qualitySiblingGroups).where(eq(qualitySiblingGroups.parentId, ids.prompt!));
    const replies = tree.prompt!.replies!;
    expect(replies).toHaveLength(3);
    for (const reply of replies) {
      const stored = group!.strengths[reply.message_id]!;
      expect(reply.consensus_strength).toBeCloseTo(stored.strength, 3);
      expect(reply.consensus_strength_ci).toEqual([expect.closeTo(stored.lower, 3), expect.closeTo(stored.upper, 3)]);
    }
    // The prompt was not ranked: no strength, no field.
    expect(tree.prompt).not.toHaveProperty("consensus_strength");
  });

  it("exports every raw label set and ranking with stable pseudonymous rater ids (--format judgements)", async () => {
    const filters = { states: "all" as const, synthetic: "include" as const, spam: "include" as const, anonymizerSeed: "s1" };
    const lines = (await collect(exportJudgements(t.db, filters))).map((line) => JSON.parse(line) as LabelJudgement | RankingJudgement);
    const labels = lines.filter((line): line is LabelJudgement => line.type === "label");
    const rankings = lines.filter((line): line is RankingJudgement => line.type === "ranking");
    // The tree of the ranked prompt: 6 label sets on replies a and b, 3 rankings (the "de" tree has no state row).
    expect(labels).toHaveLength(6);
    expect(rankings).toHaveLength(3);
    const pseudonym = (user: string) => anonymizedUuid("user", user, "s1");
    expect(new Set(labels.map((l) => l.rater_id))).toEqual(new Set([u[0]!, u[1]!, u[2]!].map(pseudonym)));
    expect(JSON.stringify(lines)).not.toContain(u[0]!);
    const third = rankings.find((r) => r.rater_id === pseudonym(u[2]!))!;
    expect(third.ranked_message_ids).toEqual([ids.b!, ids.a!, ids.c!].map((id) => anonymizedUuid("message", id, "s1")));
    expect(labels[0]).toMatchObject({ task: true, created_date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    // Stable for a seed, different for another.
    expect(await collect(exportJudgements(t.db, filters))).toEqual(lines.map((line) => JSON.stringify(line)));
    const other = await collect(exportJudgements(t.db, { ...filters, anonymizerSeed: "s2" }));
    expect(other.join()).not.toContain(pseudonym(u[0]!));
  });

  it("refuses raw judgements without an anonymizer seed", async () => {
    await expect(collect(exportJudgements(t.db, { states: "all" }))).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("serves the moderators' summary (quality.summary): α rows, the least agreed groups and reviewers", async () => {
    const moderator = await createTestUser(t.db, { role: "moderator" });
    const summary = await callerFor(t.db, moderator.id).quality.summary({ lowest: 5 });
    expect(summary.computedAt).toBeInstanceOf(Date);
    expect(summary.labels.map((row) => row.label).sort()).toEqual(["quality", "spam"]);
    expect(summary.byLanguage.find((row) => row.label === "spam" && row.key === "de")).toMatchObject({ units: 1 });
    expect(summary.byMonth.map((row) => row.key)).toContain("2024-01");
    expect(summary.lowestGroups).toEqual([expect.objectContaining({ parentId: ids.prompt, rankings: 3 })]);
    expect(summary.reviewers.scored).toBe(3);
    expect(summary.reviewers.lowest[0]!.score).toBeLessThanOrEqual(summary.reviewers.lowest[2]!.score);
  });

  it("refuses the summary to contributors", async () => {
    const contributor = await createTestUser(t.db);
    await expect(callerFor(t.db, contributor.id).quality.summary({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("scores gold answers without touching the message, and counts them in the reviewer's score", async () => {
    const moderator = await createTestUser(t.db, { role: "moderator" });
    await expect(markGoldItem(t.db, { messageId: ids.c!, expected: { bogus: 1 }, moderatorId: moderator.id })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await markGoldItem(t.db, { messageId: ids.c!, expected: { spam: 0, quality: 1 }, moderatorId: moderator.id });
    expect(await pickGoldItem(t.db, { userId: u[0]!, lang: "en" })).toMatchObject({ messageId: ids.c });
    expect(await recordGoldAnswer(t.db, { userId: u[0]!, messageId: ids.c!, labels: { spam: 0, quality: 0.25 } })).toEqual({ correct: 1, total: 2 });
    // Answered once: not picked again, and a second answer does not replace the first.
    expect(await pickGoldItem(t.db, { userId: u[0]!, lang: "en" })).toBeNull();
    await recordGoldAnswer(t.db, { userId: u[0]!, messageId: ids.c!, labels: { spam: 0, quality: 1 } });
    expect(await recordGoldAnswer(t.db, { userId: u[1]!, messageId: ids.a!, labels: { spam: 0 } })).toBeNull();
    // The gold message got no review.
    const [row] = await t.db.select().from(messages).where(eq(messages.id, ids.c!));
    expect(row?.reviewCount).toBe(0);
    await t.db.transaction((tx) => computeQuality(tx));
    const [reviewer] = await t.db.select().from(qualityReviewers).where(eq(qualityReviewers.userId, u[0]!));
    expect(reviewer).toMatchObject({ goldCorrect: 1, goldTrials: 2 });
    const agreements = reviewer!.labelAgreements + reviewer!.rankingAgreements + 1;
    expect(reviewer!.score).toBeCloseTo(wilsonLowerBound(agreements, reviewer!.labelTrials + reviewer!.rankingTrials + 2), 5);
  });

  it("replaces the previous run instead of adding to it", async () => {
    const before = (await t.db.select().from(qualityLabelAgreement)).length;
    await t.db.transaction((tx) => computeQuality(tx));
    expect(await t.db.select().from(qualityLabelAgreement)).toHaveLength(before);
    expect(await t.db.select().from(qualitySiblingGroups)).toHaveLength(1);
  });
});
