import type { ExportMessageNode, ExportMessageTree } from "@/server/domain/dataset/oasst-schema";
import type { TreeManagerSettings } from "@/server/domain/trees/config";

/**
 * Turns the 100 finished oasst demo trees into a campaign in progress (issue 11 item 1), as oasst lines the
 * importer writes plus the reviews and rankings that brought them there. Pure and deterministic: the same fixture,
 * users and clock give the same plan. Every state has trees, so a new contributor finds every kind of task:
 * - `initial_prompt_review`: prompts alone, with fewer reviews than they need;
 * - `growing`: accepted prompt and replies (3 reviews each) with open slots for both roles, and replies still
 *   under review, in two shapes (see `growingTree`);
 * - `ranking`: whole trees whose prompt's replies have fewer rankings than they need;
 * - `ready_for_export` (most), one `halted_by_moderator` and one `aborted_low_grade` (its prompt rejected as spam).
 * Demo users author prompts and replies spread over the last 50 days, so every time frame has figures.
 */

export const DEMO_CAMPAIGN_COUNTS = { growing: 6, initialPromptReview: 8, ranking: 5, halted: 1, aborted: 1 } as const;

export type DemoReview = {
  messageId: string;
  messageTreeId: string;
  reviewerId: string;
  /** A review that calls the message spam (the aborted prompt's). */
  spam: boolean;
  at: Date;
};

export type DemoRanking = {
  parentId: string;
  messageTreeId: string;
  rankerId: string;
  /** Best first. */
  rankedIds: string[];
  at: Date;
};

export type DemoCampaignPlan = {
  trees: ExportMessageTree[];
  reviews: DemoReview[];
  rankings: DemoRanking[];
  /** Trees the tree manager grows: they get its goal size, depth and width (imported trees have none). */
  managedTreeIds: string[];
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Node = ExportMessageNode;

const replies = (node: Node): Node[] => node.replies ?? [];

/** A copy of `node` without replies, written by `userId` at `at`. */
function leaf(node: Node, userId: string | null, at: Date, review: { count: number; result: boolean | null }): Node {
  return {
    message_id: node.message_id,
    parent_id: node.parent_id ?? null,
    text: node.text,
    role: node.role,
    lang: node.lang ?? "en",
    created_date: at.toISOString(),
    user_id: userId,
    review_count: review.count,
    review_result: review.result,
    deleted: false,
    // A person wrote it in the demo story; the fixture's machine-made messages without a demo author stay synthetic.
    synthetic: userId === null ? (node.synthetic ?? true) : false,
    model_name: userId === null ? (node.model_name ?? null) : null,
    replies: [],
  };
}

/** Demo campaigns need a tree to have this shape: a prompt with ≥ 3 replies, the first answered by a prompter. */
const canGrow = (prompt: Node) => replies(prompt).length >= 3 && replies(replies(prompt)[0]!).length >= 1;

/** The tree manager numbers the story follows: accepted messages have all their reviews, pending ones fewer. */
export type DemoCampaignSettings = Pick<TreeManagerSettings, "numReviewsInitialPrompt" | "numReviewsReply" | "numRequiredRankings">;

export function planDemoCampaign(fixture: ExportMessageTree[], userIds: readonly string[], now: Date, settings: DemoCampaignSettings): DemoCampaignPlan {
  const { numReviewsInitialPrompt: promptReviews, numReviewsReply: replyReviews, numRequiredRankings } = settings;
  if (userIds.length <= Math.max(promptReviews, replyReviews, numRequiredRankings)) {
    throw new Error("the demo campaign needs more users than reviews or rankings per message (an author and its reviewers)");
  }
  /** Reviews of a message still under review: 0, 1, 2, … by tree, always fewer than needed. */
  const pendingCount = (k: number, needed: number) => k % Math.min(3, needed);
  const user = (n: number) => userIds[((n % userIds.length) + userIds.length) % userIds.length]!;
  const plan: DemoCampaignPlan = { trees: [], reviews: [], rankings: [], managedTreeIds: [] };
  /** `count` reviews of `message` by the users after its author, an hour apart from `from`. */
  const review = (message: Node, authorIndex: number, count: number, treeId: string, from: Date, spam = false) => {
    for (let j = 0; j < count; j++) {
      plan.reviews.push({ messageId: message.message_id, messageTreeId: treeId, reviewerId: user(authorIndex + 1 + j), spam, at: new Date(from.getTime() + (j + 1) * HOUR) });
    }
  };

  const pool = fixture.filter((tree) => tree.prompt);
  const growable = pool.filter((tree) => canGrow(tree.prompt!)).slice(0, DEMO_CAMPAIGN_COUNTS.growing);
  const rest = pool.filter((tree) => !growable.includes(tree));
  let next = 0;
  const take = (n: number) => rest.slice(next, (next += n));

  growable.forEach((tree, k) => growingTree(tree.prompt!, k));
  take(DEMO_CAMPAIGN_COUNTS.initialPromptReview).forEach((tree, k) => {
    const at = new Date(now.getTime() - (3 * k + 2) * HOUR);
    const reviews = pendingCount(k, promptReviews);
    const root = leaf(tree.prompt!, user(k), at, { count: reviews, result: null });
    plan.trees.push({ message_tree_id: root.message_id, tree_state: "initial_prompt_review", prompt: root });
    plan.managedTreeIds.push(root.message_id);
    review(root, k, reviews, root.message_id, at);
  });
  take(DEMO_CAMPAIGN_COUNTS.ranking).forEach((tree, k) => rankingTree(tree.prompt!, k));
  take(DEMO_CAMPAIGN_COUNTS.halted).forEach((tree, k) => finishedTree(tree.prompt!, "halted_by_moderator", 40 + k));
  take(DEMO_CAMPAIGN_COUNTS.aborted).forEach((tree, k) => {
    const at = new Date(now.getTime() - (2 + k) * DAY);
    const root = leaf(tree.prompt!, user(k + 1), at, { count: promptReviews, result: false });
    plan.trees.push({ message_tree_id: root.message_id, tree_state: "aborted_low_grade", prompt: root });
    review(root, k + 1, promptReviews, root.message_id, at, true);
  });
  rest.slice(next).forEach((tree, k) => finishedTree(tree.prompt!, "ready_for_export", k));
  return plan;

  /**
   * Growing trees, at most 5 messages (below the default goal of 12), in two shapes (k even / odd):
   *   even: prompt ✓ → A1 ✓ → P1 ✓ (takes an assistant reply) · A2 ✓ (takes a prompter reply) · A3 under review
   *   odd:  prompt ✓ → A1 ✓ → P1 under review · A2 under review; the prompt takes a third assistant reply
   * (✓ = accepted with all its reviews; "under review" = fewer than needed).
   */
  function growingTree(prompt: Node, k: number) {
    const start = new Date(now.getTime() - (k + 2) * DAY);
    const at = (hours: number) => new Date(start.getTime() + hours * HOUR);
    const [a1, a2, a3] = replies(prompt) as [Node, Node, Node];
    const p1 = replies(a1)[0]!;
    const accepted = { count: replyReviews, result: true };
    const pending = pendingCount(k, replyReviews);
    const even = k % 2 === 0;
    const root = leaf(prompt, user(k), at(0), { count: promptReviews, result: true });
    const r1 = leaf(a1, user(k + 1), at(4), accepted);
    const r2 = leaf(a2, user(k + 2), at(5), even ? accepted : { count: pending, result: null });
    const q1 = leaf(p1, user(k + 3), at(9), even ? accepted : { count: pendingCount(k + 1, replyReviews), result: null });
    r1.replies = [q1];
    root.replies = [r1, r2];
    const treeId = root.message_id;
    review(root, k, promptReviews, treeId, at(0));
    review(r1, k + 1, replyReviews, treeId, at(4));
    review(r2, k + 2, even ? replyReviews : pending, treeId, at(5));
    review(q1, k + 3, even ? replyReviews : pendingCount(k + 1, replyReviews), treeId, at(9));
    if (even) {
      const r3 = leaf(a3, user(k + 4), at(6), { count: pending, result: null });
      root.replies.push(r3);
      review(r3, k + 4, pending, treeId, at(6));
    }
    plan.trees.push({ message_tree_id: treeId, tree_state: "growing", prompt: root });
    plan.managedTreeIds.push(treeId);
  }

  /** A whole tree, every message accepted as in the fixture, no consensus ranks yet; the prompt's replies have some rankings. */
  function rankingTree(prompt: Node, k: number) {
    const start = new Date(now.getTime() - (k + 1) * DAY);
    let index = 0;
    const copy = (node: Node, userId: string | null): Node => {
      // Curated fixture messages: accepted without review rows, as imported (review_count 0).
      const out = leaf(node, userId, new Date(start.getTime() + index++ * 20 * 60_000), { count: node.review_count ?? 0, result: node.review_result ?? true });
      out.replies = replies(node).filter((reply) => !reply.deleted).map((reply) => copy(reply, null));
      return out;
    };
    const root = copy(prompt, user(k));
    plan.trees.push({ message_tree_id: root.message_id, tree_state: "ranking", prompt: root });
    plan.managedTreeIds.push(root.message_id);
    // The fixture's consensus order, best first: what an attentive ranker would submit.
    const order = [...replies(prompt)].filter((reply) => !reply.deleted).sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));
    for (let j = 0; j < pendingCount(k, numRequiredRankings); j++) {
      plan.rankings.push({ parentId: root.message_id, messageTreeId: root.message_id, rankerId: user(k + 1 + j),
        rankedIds: order.map((reply) => reply.message_id),
        at: new Date(start.getTime() + (index + j) * 20 * 60_000) });
    }
  }

  /** A finished tree as in the fixture (ranks kept), dated k·12 h ago, some messages by demo users. */
  function finishedTree(prompt: Node, state: "ready_for_export" | "halted_by_moderator", k: number) {
    const start = new Date(now.getTime() - (k * 12 + 6) * HOUR);
    let index = 0;
    const copy = (node: Node, userId: string | null, depth: number): Node => {
      const out = leaf(node, userId, new Date(start.getTime() + index++ * 10 * 60_000), { count: node.review_count ?? 0, result: node.review_result ?? true });
      out.rank = node.rank ?? null;
      out.emojis = node.emojis ?? {};
      // Siblings get distinct authors (one reply per user under a parent), on every other level.
      out.replies = replies(node).map((reply, j) =>
        copy(reply, (k + depth) % 2 === 0 && j < userIds.length ? user(k + depth * 2 + j) : null, depth + 1));
      return out;
    };
    const root = copy(prompt, k % 3 === 2 ? null : user(k), 0);
    plan.trees.push({ message_tree_id: root.message_id, tree_state: state, prompt: root });
  }
}
