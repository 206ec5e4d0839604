import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ZExportMessageTree } from "@/server/domain/dataset/oasst-schema";
import { DEMO_CAMPAIGN_COUNTS, planDemoCampaign } from "./demo-campaign";

const fixture = readFileSync("src/server/db/seed/oasst-en-100-trees.jsonl", "utf8").trim().split("\n").map((line) => ZExportMessageTree.parse(JSON.parse(line)));
const users = ["a", "b", "c", "d", "e"].map((letter) => `0000000${letter}-0000-4000-8000-000000000000`);
const now = new Date("2026-06-01T12:00:00Z");

type Node = NonNullable<(typeof fixture)[number]["prompt"]>;
const walk = (node: Node, visit: (node: Node, parent: Node | null) => void, parent: Node | null = null) => {
  visit(node, parent);
  for (const reply of node.replies ?? []) walk(reply, visit, node);
};

describe.each([
  ["the defaults", { numReviewsInitialPrompt: 3, numReviewsReply: 3, numRequiredRankings: 3 }],
  ["the e2e's small trees", { numReviewsInitialPrompt: 2, numReviewsReply: 1, numRequiredRankings: 1 }],
])("planDemoCampaign under %s", (_, settings) => {
  const plan = planDemoCampaign(fixture, users, now, settings);

  it("keeps every tree, in the planned states", () => {
    expect(plan.trees).toHaveLength(100);
    const states = plan.trees.reduce<Record<string, number>>((acc, tree) => ({ ...acc, [tree.tree_state!]: (acc[tree.tree_state!] ?? 0) + 1 }), {});
    expect(states).toMatchObject({ growing: DEMO_CAMPAIGN_COUNTS.growing, initial_prompt_review: DEMO_CAMPAIGN_COUNTS.initialPromptReview,
      ranking: DEMO_CAMPAIGN_COUNTS.ranking, halted_by_moderator: 1, aborted_low_grade: 1 });
  });

  it("plans one review per counted review, never by the author, never twice by one reviewer, all in the past", () => {
    const reviewsOf = new Map<string, string[]>();
    for (const review of plan.reviews) reviewsOf.set(review.messageId, [...(reviewsOf.get(review.messageId) ?? []), review.reviewerId]);
    for (const tree of plan.trees.filter((tree) => ["growing", "initial_prompt_review", "aborted_low_grade"].includes(tree.tree_state!))) {
      walk(tree.prompt!, (node, parent) => {
        const reviewers = reviewsOf.get(node.message_id) ?? [];
        const needed = parent ? settings.numReviewsReply : settings.numReviewsInitialPrompt;
        expect(reviewers).toHaveLength(node.review_count!);
        expect(new Set(reviewers).size).toBe(reviewers.length);
        expect(reviewers).not.toContain(node.user_id);
        // Decided messages have all their reviews; undecided ones fewer than needed.
        expect(node.review_result === null ? node.review_count! < needed : node.review_count === needed).toBe(true);
      });
    }
    expect(plan.reviews.every((review) => review.at < now)).toBe(true);
    expect(plan.rankings.every((ranking) => ranking.at < now)).toBe(true);
  });

  it("gives siblings distinct authors and leaves rankings short of complete", () => {
    for (const tree of plan.trees) {
      walk(tree.prompt!, (node) => {
        const authors = (node.replies ?? []).map((reply) => reply.user_id).filter(Boolean);
        expect(new Set(authors).size).toBe(authors.length);
      });
    }
    const perParent = new Map<string, number>();
    for (const ranking of plan.rankings) perParent.set(ranking.parentId, (perParent.get(ranking.parentId) ?? 0) + 1);
    for (const n of perParent.values()) expect(n).toBeLessThan(settings.numRequiredRankings);
  });

  it("is deterministic", () => {
    expect(planDemoCampaign(fixture, users, now, settings)).toEqual(plan);
  });
});
