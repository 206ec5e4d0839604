import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messageReactions, messages, tasks } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";

/**
 * Races fired at the real database (PostgreSQL when DATABASE_URL is set, else the embedded server): many requests
 * at once must never overshoot a target or break a counter (spec §8.2, §8.3).
 */
const t = setupTestDatabase();

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);

async function acceptedPrompt(lang: string, deps: ReturnType<typeof testTreeDeps>) {
  const [author, r1, r2] = await createContributors(t.db, deps, names(`${lang}-seed`, 3));
  const rootId = (await author!.requestAndComplete("initial_prompt", lang)).result!;
  await r1!.requestAndComplete("label_initial_prompt", lang);
  await r2!.requestAndComplete("label_initial_prompt", lang);
  return rootId;
}

const settled = <T,>(promises: Promise<T>[]) => Promise.allSettled(promises);
const fulfilled = <T,>(results: PromiseSettledResult<T>[]) => results.filter((r): r is PromiseFulfilledResult<T> => r.status === "fulfilled");

describe("races", () => {
  it("keeps one user's concurrent requests within the pending limit", async () => {
    // The hand-out is one statement: the pending count must be read after the user's lock, not from the statement's
    // snapshot, or concurrent requests of one user all see the same count.
    const deps = testTreeDeps({ maxPendingTasksPerUser: 2 });
    const [busy] = await createContributors(t.db, deps, ["cp-busy"]);
    const results = await settled(Array.from({ length: 6 }, () => busy!.request("initial_prompt", "cp")));
    expect(fulfilled(results)).toHaveLength(2);
    const [open] = await t.db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(eq(tasks.userId, busy!.id));
    expect(open!.n).toBe(2);
  });

  it("hands out no more review tasks than reviews still needed", async () => {
    const deps = testTreeDeps({ numReviewsInitialPrompt: 3 });
    const [author] = await createContributors(t.db, deps, ["ca-author"]);
    await author!.requestAndComplete("initial_prompt", "ca");
    const reviewers = await createContributors(t.db, deps, names("ca", 8));
    const results = await settled(reviewers.map((r) => r.request("label_initial_prompt", "ca")));
    expect(fulfilled(results)).toHaveLength(3);
  });

  it("never pushes a message past its review target, even when reservations have lapsed", async () => {
    // Span 0: open tasks reserve nothing, so every reviewer gets a task and all submit at once.
    const deps = testTreeDeps({ numReviewsInitialPrompt: 3, recentTasksSpanSec: 0 });
    const [author] = await createContributors(t.db, deps, ["cb-author"]);
    const rootId = (await author!.requestAndComplete("initial_prompt", "cb")).result!;
    const reviewers = await createContributors(t.db, deps, names("cb", 7));
    const handed: [Contributor, Awaited<ReturnType<Contributor["request"]>>][] = [];
    for (const reviewer of reviewers) handed.push([reviewer, await reviewer.request("label_initial_prompt", "cb")]);
    await Promise.all(handed.map(([reviewer, task]) => reviewer.ack(task)));
    const results = await settled(handed.map(([reviewer, task]) => reviewer.caller.tasks.submitLabels({ taskId: task.id, labels: { spam: 0 } })));
    expect(fulfilled(results)).toHaveLength(3);
    const [root] = await t.db.select().from(messages).where(eq(messages.id, rootId));
    expect(root!.reviewCount).toBe(3);
    expect(root!.reviewResult).toBe(true);
  });

  it("never gives a parent more counted children than max_children_count", async () => {
    const deps = testTreeDeps({ numReviewsInitialPrompt: 2, maxChildrenCount: 3, recentTasksSpanSec: 0, pLonelyChildExtension: 0 });
    const rootId = await acceptedPrompt("cc", deps);
    const writers = await createContributors(t.db, deps, names("cc", 8));
    const handed: (readonly [Contributor, Awaited<ReturnType<Contributor["request"]>>])[] = [];
    for (const writer of writers) handed.push([writer, await writer.request("assistant_reply", "cc")]);
    await Promise.all(handed.map(([writer, task]) => writer.ack(task)));
    const results = await settled(handed.map(([writer, task], i) => writer.caller.tasks.submitReply({ taskId: task.id, text: `answer ${i}` })));
    expect(fulfilled(results)).toHaveLength(3);
    const children = await t.db.select().from(messages).where(and(eq(messages.parentId, rootId), eq(messages.deleted, false)));
    const [root] = await t.db.select().from(messages).where(eq(messages.id, rootId));
    expect(children).toHaveLength(3);
    expect(root!.childrenCount).toBe(3);
  });

  it("hands out reply tasks per free slot instead of hiding the parent from everyone", async () => {
    const deps = testTreeDeps({ numReviewsInitialPrompt: 2, maxChildrenCount: 3, pLonelyChildExtension: 0 });
    await acceptedPrompt("cd", deps);
    const writers = await createContributors(t.db, deps, names("cd", 6));
    const results = await settled(writers.map((writer) => writer.request("assistant_reply", "cd")));
    expect(fulfilled(results)).toHaveLength(3);
  });

  it("never lets one user write two replies under one parent", async () => {
    const deps = testTreeDeps({ numReviewsInitialPrompt: 2, pLonelyChildExtension: 0 });
    const rootId = await acceptedPrompt("ce", deps);
    const [writer] = await createContributors(t.db, deps, ["ce-writer"]);
    const first = await writer!.request("assistant_reply", "ce");
    // A second open task on the same parent (e.g. from an older client) must not yield a second reply.
    const [second] = await t.db.insert(tasks).values({ ...(await t.db.select().from(tasks).where(eq(tasks.id, first.id)))[0]!, id: undefined, frontendMessageId: null }).returning();
    await writer!.ack(first);
    await writer!.caller.tasks.ack({ taskId: second!.id, frontendMessageId: crypto.randomUUID() });
    const results = await settled([first.id, second!.id].map((taskId, i) => writer!.caller.tasks.submitReply({ taskId, text: `mine ${i}` })));
    expect(fulfilled(results)).toHaveLength(1);
    const mine = await t.db.select().from(messages).where(and(eq(messages.parentId, rootId), eq(messages.userId, writer!.id)));
    expect(mine).toHaveLength(1);
  });

  it("accepts a double submit of one task exactly once", async () => {
    const deps = testTreeDeps();
    const [writer] = await createContributors(t.db, deps, ["cf-writer"]);
    const task = await writer!.request("initial_prompt", "cf");
    await writer!.ack(task);
    const results = await settled([1, 2, 3].map((i) => writer!.caller.tasks.submitReply({ taskId: task.id, text: `prompt ${i}` })));
    expect(fulfilled(results)).toHaveLength(1);
    const [written] = await t.db.select({ n: sql<number>`count(*)::int` }).from(messages).where(eq(messages.taskId, task.id));
    expect(written!.n).toBe(1);
  });

  it("counts concurrent rankings exactly and scores the tree once", async () => {
    const deps = testTreeDeps({ goalTreeSize: 3, numReviewsInitialPrompt: 1, numReviewsReply: 1, numRequiredRankings: 4, pLonelyChildExtension: 0 });
    const [a, b, c, d] = await createContributors(t.db, deps, names("cg-build", 4));
    const rootId = (await a!.requestAndComplete("initial_prompt", "cg")).result!;
    await b!.requestAndComplete("label_initial_prompt", "cg");
    await b!.requestAndComplete("assistant_reply", "cg");
    await c!.requestAndComplete("assistant_reply", "cg");
    await d!.requestAndComplete("label_assistant_reply", "cg");
    await d!.requestAndComplete("label_assistant_reply", "cg");
    const rankers = await createContributors(t.db, deps, names("cg", 4));
    const handed = await Promise.all(rankers.map(async (ranker) => [ranker, await ranker.request("rank_assistant_replies", "cg")] as const));
    await Promise.all(handed.map(([ranker, task]) => ranker.complete(task)));
    const replies = await t.db.select().from(messages).where(eq(messages.parentId, rootId));
    expect(replies.map((reply) => reply.rankingCount)).toEqual([4, 4]);
    const reactions = await t.db.select().from(messageReactions).where(eq(messageReactions.messageId, rootId));
    expect(reactions).toHaveLength(4);
    expect(replies.map((reply) => reply.rank).sort()).toEqual([0, 1]);
  });
});
