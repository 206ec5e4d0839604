import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Transaction } from "@/server/db/client";
import { chatMessages, chats, inferenceJobChunks, inferenceJobs, messageEmojis, messages, messageTreeStates, tasks, textLabels } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import { checkInvariants, formatInvariantReport } from "./check-invariants";
import { INVARIANT_CHECKS } from "./checks";

const t = setupTestDatabase();

/** A small, valid tree grown here: a reviewed prompt with two ranked assistant replies, one with an emoji. */
type Tree = { root: string; first: string; second: string; author: string; reviewer: string };
let tree: Tree;
let jobId: string;

beforeAll(async () => {
  const author = (await createTestUser(t.db)).id;
  const reviewer = (await createTestUser(t.db)).id;
  const root = randomUUID();
  const first = randomUUID();
  const second = randomUUID();
  const base = { messageTreeId: root, lang: "en", frontendMessageId: "" };
  await t.db.insert(messages).values({ ...base, id: root, role: "prompter", text: "A prompt", userId: author, depth: 0, childrenCount: 2, reviewCount: 1, reviewResult: true, frontendMessageId: randomUUID() });
  await t.db.insert(messageTreeStates).values({ messageTreeId: root, goalTreeSize: 12, maxDepth: 5, maxChildrenCount: 3, state: "growing", active: true, lang: "en" });
  await t.db.insert(messages).values([
    { ...base, id: first, parentId: root, role: "assistant", text: "First reply", userId: reviewer, depth: 1, rank: 0, emojis: { "+1": 1 }, frontendMessageId: randomUUID() },
    { ...base, id: second, parentId: root, role: "assistant", text: "Second reply", userId: author, depth: 1, rank: 1, frontendMessageId: randomUUID() },
  ]);
  await t.db.insert(textLabels).values({ userId: reviewer, messageId: root, labels: { spam: 0 }, taskId: randomUUID() });
  await t.db.insert(messageEmojis).values({ messageId: first, userId: author, emoji: "+1" });
  await t.db.insert(tasks).values({ userId: author, type: "assistant_reply", payload: {}, ack: true, done: true, parentMessageId: root, messageTreeId: root });

  const [chat] = await t.db.insert(chats).values({ userId: author }).returning();
  const [reply] = await t.db.insert(chatMessages).values({ chatId: chat!.id, role: "assistant", state: "in_progress" }).returning();
  const [job] = await t.db
    .insert(inferenceJobs)
    .values({ chatMessageId: reply!.id, userId: author, modelConfigName: "test", status: "running", attempts: 1, leaseOwner: randomUUID(), leaseExpiresAt: new Date(Date.now() + 30_000), startedAt: new Date(), queueDeadlineAt: new Date(Date.now() + 60_000), lastSeq: 1 })
    .returning();
  await t.db.insert(inferenceJobChunks).values({ jobId: job!.id, seq: 1, text: "Hel" });
  jobId = job!.id;
  tree = { root, first, second, author, reviewer };
});

class Planted extends Error {}

/** Plants a violation inside a transaction, checks, and rolls the violation back. */
async function violationsAfter(plant: (tx: Transaction) => Promise<unknown>) {
  let report: Awaited<ReturnType<typeof checkInvariants>> | undefined;
  await t.db
    .transaction(async (tx) => {
      await plant(tx);
      report = await checkInvariants(tx);
      throw new Planted();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Planted)) throw error;
    });
  return Object.fromEntries(report!.checks.filter((check) => check.violations > 0).map((check) => [check.name, check.violations]));
}

describe("checkInvariants", () => {
  it("passes on a consistent database and reports every check", async () => {
    const report = await checkInvariants(t.db);
    expect(report.ok, formatInvariantReport(report)).toBe(true);
    expect(report.checks.map((check) => check.name)).toEqual(INVARIANT_CHECKS.map((check) => check.name));
  });

  it.each<[string, (tx: Transaction) => Promise<unknown>]>([
    ["children_count", (tx) => tx.update(messages).set({ childrenCount: 3 }).where(eq(messages.id, tree.root))],
    ["children_count", (tx) => tx.update(messages).set({ deleted: true }).where(eq(messages.id, tree.second))],
    ["review_count", (tx) => tx.update(messages).set({ reviewCount: 2 }).where(eq(messages.id, tree.root))],
    ["review_count", (tx) => tx.insert(textLabels).values({ userId: tree.author, messageId: tree.first, labels: { spam: 0 }, taskId: randomUUID() })],
    ["sibling_ranks", (tx) => tx.update(messages).set({ rank: 0 }).where(eq(messages.id, tree.second))],
    ["sibling_ranks", (tx) => tx.update(messages).set({ rank: 2 }).where(eq(messages.id, tree.second))],
    ["tree_active_flag", (tx) => tx.update(messageTreeStates).set({ state: "ready_for_export" }).where(eq(messageTreeStates.messageTreeId, tree.root))],
    ["tree_state_content", (tx) => tx.update(messageTreeStates).set({ state: "initial_prompt_review" }).where(eq(messageTreeStates.messageTreeId, tree.root))],
    ["tree_state_content", (tx) => tx.update(messages).set({ reviewResult: false }).where(eq(messages.id, tree.root))],
    ["emoji_counts", (tx) => tx.update(messages).set({ emojis: { "+1": 2 } }).where(eq(messages.id, tree.first))],
    ["emoji_counts", (tx) => tx.insert(messageEmojis).values({ messageId: tree.second, userId: tree.reviewer, emoji: "_skip_reply" })],
    ["task_states", (tx) => tx.update(tasks).set({ skipped: true }).where(eq(tasks.userId, tree.author))],
    ["queue_jobs", (tx) => tx.update(inferenceJobs).set({ status: "queued" }).where(eq(inferenceJobs.id, jobId))],
    ["queue_jobs", (tx) => tx.update(inferenceJobs).set({ status: "done" }).where(eq(inferenceJobs.id, jobId))],
    ["queue_jobs", (tx) => tx.update(inferenceJobs).set({ attempts: 4 }).where(eq(inferenceJobs.id, jobId))],
    ["queue_jobs", (tx) => tx.insert(inferenceJobChunks).values({ jobId, seq: 2, text: "lo" })],
  ])("catches a broken %s", async (name, plant) => {
    expect(await violationsAfter(plant)).toEqual({ [name]: 1 });
  });

  it("catches a parent over its children limit and a message deeper than the tree allows", async () => {
    const violations = await violationsAfter(async (tx) => {
      await tx.update(messageTreeStates).set({ maxChildrenCount: 1, maxDepth: 0 }).where(eq(messageTreeStates.messageTreeId, tree.root));
    });
    expect(violations).toEqual({ children_limit: 3 }); // the root (2 children > 1) and both replies (depth 1 > 0)
  });

  it("counts only live replies that are accepted or under review against the limit: a rejected reply frees its slot", async () => {
    // The hand-out and reply submission give a rejected reply's slot to a new reply (OA's extendible parents), so a
    // parent can hold more live children than the limit without breaking it.
    const withRejected = await violationsAfter(async (tx) => {
      await tx.update(messageTreeStates).set({ maxChildrenCount: 1 }).where(eq(messageTreeStates.messageTreeId, tree.root));
      await tx.update(messages).set({ reviewResult: false }).where(eq(messages.id, tree.second));
    });
    expect(withRejected).toEqual({});
    const withPending = await violationsAfter(async (tx) => {
      await tx.update(messageTreeStates).set({ maxChildrenCount: 1 }).where(eq(messageTreeStates.messageTreeId, tree.root));
      await tx.update(messages).set({ reviewResult: null }).where(eq(messages.id, tree.second));
    });
    expect(withPending).toEqual({ children_limit: 1 });
  });

  it("catches orphans: a reply in another tree, a wrong depth, a message whose tree root is gone, a root without a tree", async () => {
    expect(await violationsAfter((tx) => tx.update(messages).set({ depth: 3 }).where(eq(messages.id, tree.first)))).toEqual({ orphans: 1 });
    const otherRoot = randomUUID();
    expect(
      await violationsAfter(async (tx) => {
        await tx.insert(messages).values({ id: otherRoot, messageTreeId: otherRoot, role: "prompter", text: "Another prompt", frontendMessageId: randomUUID() });
        await tx.insert(messageTreeStates).values({ messageTreeId: otherRoot, goalTreeSize: 12, maxDepth: 5, maxChildrenCount: 3, state: "initial_prompt_review", active: true, lang: "en" });
        await tx.update(messages).set({ messageTreeId: otherRoot }).where(eq(messages.id, tree.second));
      }),
    ).toMatchObject({ orphans: 1 });
    expect(
      await violationsAfter((tx) => tx.execute(sql`insert into messages (id, message_tree_id, role, text, frontend_message_id) values (${randomUUID()}, ${randomUUID()}, 'prompter', 'lost', ${randomUUID()})`)),
    ).toEqual({ orphans: 1, tree_root: 1 });
    expect(await violationsAfter((tx) => tx.delete(messageTreeStates).where(eq(messageTreeStates.messageTreeId, tree.root)))).toMatchObject({ tree_root: 1 });
  });

  it("formats a report a person can act on", async () => {
    const report = await checkInvariants(t.db);
    expect(formatInvariantReport(report)).toMatch(/^All invariants hold \(11 checks/);
  });
});
