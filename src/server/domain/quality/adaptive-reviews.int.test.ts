import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages, messageTreeStates } from "@/server/db/schema";
import { checkInvariants, formatInvariantReport } from "@/server/domain/invariants/check-invariants";
import type { TreeManagerConfig } from "@/server/domain/trees/config";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";

const t = setupTestDatabase();

/** Small trees: 3 prompt reviews, 1 reply review, goal 3, 2 rankings per parent; adaptive counts on unless said. */
const ADAPTIVE: Partial<TreeManagerConfig> = {
  goalTreeSize: 3,
  numReviewsInitialPrompt: 3,
  numReviewsReply: 1,
  numRequiredRankings: 2,
  maxChildrenCount: 2,
  maxTreeDepth: 2,
  pLonelyChildExtension: 0,
  adaptiveReviews: true,
  adaptiveMaxExtraReviews: 2,
  adaptiveReviewAgreement: 0.75,
  adaptiveMaxExtraRankings: 2,
  adaptiveRankingMargin: 0.34,
};

async function treeOf(rootId: string) {
  const [tree] = await t.db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, rootId));
  const [root] = await t.db.select().from(messages).where(eq(messages.id, rootId));
  return { state: tree!.state, reviewCount: root!.reviewCount, reviewsWanted: root!.reviewsWanted, reviewResult: root!.reviewResult };
}

/** Reviews the open prompt of `lang` with the given spam values, one reviewer each. */
async function reviewPrompt(reviewers: Contributor[], lang: string, spams: number[]) {
  for (const [i, spam] of spams.entries()) await reviewers[i]!.requestAndComplete("label_initial_prompt", lang, { spam });
}

async function people(count: number, config: Partial<TreeManagerConfig>) {
  const deps = testTreeDeps(config);
  return createContributors(t.db, deps, Array.from({ length: count }, (_, i) => `R${i}`));
}

describe("adaptive review count", () => {
  it("off (the default): a split prompt is decided at the fixed count", async () => {
    const [author, ...reviewers] = await people(5, { ...ADAPTIVE, adaptiveReviews: false });
    const { result: rootId } = await author!.requestAndComplete("initial_prompt", "qa");
    await reviewPrompt(reviewers, "qa", [1, 0, 0]);
    expect(await treeOf(rootId!)).toMatchObject({ reviewCount: 3, reviewsWanted: null, reviewResult: true, state: "growing" });
    await expect(reviewers[3]!.request("label_initial_prompt", "qa")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("stops at the minimum when the reviews agree", async () => {
    const [author, ...reviewers] = await people(5, ADAPTIVE);
    const { result: rootId } = await author!.requestAndComplete("initial_prompt", "qb");
    await reviewPrompt(reviewers, "qb", [0, 0, 0]);
    expect(await treeOf(rootId!)).toMatchObject({ reviewCount: 3, reviewsWanted: 3, reviewResult: true, state: "growing" });
    await expect(reviewers[3]!.request("label_initial_prompt", "qb")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("asks for one more review while they split and decides once they agree", async () => {
    const [author, ...reviewers] = await people(6, ADAPTIVE);
    const { result: rootId } = await author!.requestAndComplete("initial_prompt", "qc");
    await reviewPrompt(reviewers, "qc", [1, 0, 0]);
    // 2 of 3 accept (0.67 < 0.75): undecided, a fourth review is handed out.
    expect(await treeOf(rootId!)).toMatchObject({ reviewCount: 3, reviewsWanted: 4, reviewResult: null, state: "initial_prompt_review" });
    expect((await reviewers[3]!.caller.tasks.availability({ lang: "qc" })).label_initial_prompt).toBe(1);
    await reviewers[3]!.requestAndComplete("label_initial_prompt", "qc", { spam: 0 });
    // 3 of 4 agree: decided (acceptance 0.75 > 0.6).
    expect(await treeOf(rootId!)).toMatchObject({ reviewCount: 4, reviewsWanted: 4, reviewResult: true, state: "growing" });
    await expect(reviewers[4]!.request("label_initial_prompt", "qc")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("stops at the cap (minimum + extra) when they keep splitting", async () => {
    const [author, ...reviewers] = await people(7, ADAPTIVE);
    const { result: rootId } = await author!.requestAndComplete("initial_prompt", "qd");
    await reviewPrompt(reviewers, "qd", [1, 0, 1, 0]);
    expect(await treeOf(rootId!)).toMatchObject({ reviewCount: 4, reviewsWanted: 5, reviewResult: null });
    await reviewers[4]!.requestAndComplete("label_initial_prompt", "qd", { spam: 1 });
    // 5 reviews, 3 say spam: the cap is reached and the prompt decided on all five (acceptance 0.4: rejected).
    expect(await treeOf(rootId!)).toMatchObject({ reviewCount: 5, reviewsWanted: 5, reviewResult: false, state: "aborted_low_grade" });
    await expect(reviewers[5]!.request("label_initial_prompt", "qd")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const report = await checkInvariants(t.db);
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });
});

describe("adaptive ranking count", () => {
  /** A tree in `ranking` with two assistant replies under the prompt, in language `lang`. */
  async function rankingTree(lang: string, config: Partial<TreeManagerConfig>) {
    const crowd = await people(9, config);
    const [author, r1, r2, r3, w1, w2, v1] = crowd;
    const { result: rootId } = await author!.requestAndComplete("initial_prompt", lang);
    await reviewPrompt([r1!, r2!, r3!], lang, [0, 0, 0]);
    await w1!.requestAndComplete("assistant_reply", lang);
    await w2!.requestAndComplete("assistant_reply", lang);
    await v1!.requestAndComplete("label_assistant_reply", lang);
    await v1!.requestAndComplete("label_assistant_reply", lang);
    expect((await treeOf(rootId!)).state).toBe("ranking");
    return { rootId: rootId!, rankers: [author!, r1!, r2!, r3!, crowd[7]!, crowd[8]!] };
  }

  async function rank(ranker: Contributor, lang: string, reverse: boolean) {
    const task = await ranker.request("rank_assistant_replies", lang);
    await ranker.ack(task);
    if (task.payload.type !== "rank_assistant_replies") throw new Error("not a rank task");
    const ids = task.payload.replies.map((reply) => reply.id).sort();
    await ranker.caller.tasks.submitRanking({ taskId: task.id, rankedMessageIds: reverse ? ids.reverse() : ids });
  }

  const rankingsWanted = async (rootId: string) =>
    (await t.db.select({ n: messages.rankingsWanted }).from(messages).where(eq(messages.id, rootId)))[0]!.n;

  it("scores at the minimum when the rankers agree", async () => {
    const { rootId, rankers } = await rankingTree("qe", ADAPTIVE);
    await rank(rankers[0]!, "qe", false);
    await rank(rankers[1]!, "qe", false);
    expect((await treeOf(rootId)).state).toBe("ready_for_export");
    expect(await rankingsWanted(rootId)).toBe(2);
  });

  it("asks for more rankings while the rankers split, up to the cap", async () => {
    const { rootId, rankers } = await rankingTree("qf", ADAPTIVE);
    await rank(rankers[0]!, "qf", false);
    await rank(rankers[1]!, "qf", true);
    expect((await treeOf(rootId)).state).toBe("ranking");
    expect(await rankingsWanted(rootId)).toBe(3);
    await rank(rankers[2]!, "qf", false);
    // 2 : 1 gives a margin of 0.33 < 0.34: still split.
    expect((await treeOf(rootId)).state).toBe("ranking");
    await rank(rankers[3]!, "qf", true);
    expect(await treeOf(rootId)).toMatchObject({ state: "ready_for_export" });
    expect(await rankingsWanted(rootId)).toBe(4);
    await expect(rankers[4]!.request("rank_assistant_replies", "qf")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("off: a split group is scored at the fixed count", async () => {
    const { rootId, rankers } = await rankingTree("qg", { ...ADAPTIVE, adaptiveReviews: false });
    await rank(rankers[0]!, "qg", false);
    await rank(rankers[1]!, "qg", true);
    expect((await treeOf(rootId)).state).toBe("ready_for_export");
    expect(await rankingsWanted(rootId)).toBeNull();
  });
});
