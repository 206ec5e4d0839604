import { count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messages, messageTreeStates, tasks, textLabels } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { Contributor, createContributors } from "@/test/task-driver";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();
const deps = testTreeDeps({ goalTreeSize: 6, numReviewsInitialPrompt: 2, numReviewsReply: 1, pLonelyChildExtension: 0 });
const LANG = "ba";
let team: Contributor[];
let rootId: string;

/** A growing tree in LANG whose root was written by team[0]. */
beforeAll(async () => {
  team = await createContributors(t.db, deps, ["Ann", "Ben", "Cat", "Dan", "Eve"]);
  rootId = (await team[0]!.requestAndComplete("initial_prompt", LANG)).result!;
  await team[1]!.requestAndComplete("label_initial_prompt", LANG);
  await team[2]!.requestAndComplete("label_initial_prompt", LANG);
});

const tableCount = async (table: typeof messages | typeof textLabels) => (await t.db.select({ n: count() }).from(table))[0]!.n;

describe("task lifecycle errors", () => {
  it("refuses an unknown task id", async () => {
    await expectAppError(team[1]!.caller.tasks.ack({ taskId: crypto.randomUUID(), frontendMessageId: "x" }), { code: "NOT_FOUND", oaCode: 2100 });
  });

  it("refuses someone else's task", async () => {
    const owner = await Contributor.create(t.db, deps, "Owner");
    const task = await owner.request("assistant_reply", LANG);
    await expectAppError(team[2]!.caller.tasks.ack({ taskId: task.id, frontendMessageId: "y" }), { code: "FORBIDDEN", oaCode: 2106 });
    await owner.caller.tasks.skip({ taskId: task.id });
  });

  it("makes acknowledging idempotent and refuses a second, different binding", async () => {
    const user = await Contributor.create(t.db, deps, "Acker");
    const task = await user.request("assistant_reply", LANG);
    const id = crypto.randomUUID();
    // The answer is the binding, not the task again (the client has its payload).
    const binding = { id: task.id, type: task.type, acked: true, frontendMessageId: id, expiresAt: task.expiresAt };
    await expect(user.caller.tasks.ack({ taskId: task.id, frontendMessageId: id })).resolves.toStrictEqual(binding);
    await expect(user.caller.tasks.ack({ taskId: task.id, frontendMessageId: id })).resolves.toStrictEqual(binding);
    await expectAppError(user.caller.tasks.ack({ taskId: task.id, frontendMessageId: "other" }), { code: "CONFLICT", oaCode: 2103 });
    await user.caller.tasks.skip({ taskId: task.id });
  });

  it("refuses answers to unacknowledged, expired, skipped and completed tasks", async () => {
    const user = team[3]!;
    const unacked = await user.request("assistant_reply", LANG);
    await expectAppError(user.caller.tasks.submitReply({ taskId: unacked.id, text: "hello" }), { code: "PRECONDITION_FAILED", oaCode: 2104 });

    await user.ack(unacked);
    await t.db.update(tasks).set({ expiryDate: sql`now() - interval '1 minute'` }).where(eq(tasks.id, unacked.id));
    await expectAppError(user.caller.tasks.submitReply({ taskId: unacked.id, text: "hello" }), { code: "PRECONDITION_FAILED", oaCode: 2101 });

    const done = await user.request("assistant_reply", LANG);
    await user.complete(done);
    await expectAppError(user.caller.tasks.submitReply({ taskId: done.id, text: "again" }), { code: "CONFLICT", oaCode: 2105 });

    const skipper = await Contributor.create(t.db, deps, "Skips");
    const skipped = await skipper.request("assistant_reply", LANG);
    await skipper.ack(skipped);
    await skipper.caller.tasks.skip({ taskId: skipped.id, reason: "not my topic" });
    await expectAppError(skipper.caller.tasks.submitReply({ taskId: skipped.id, text: "hello" }), { code: "CONFLICT", appCode: "TASK_SKIPPED" });
  });

  it("refuses empty, too long and recently duplicated texts, writing nothing", async () => {
    const user = team[4]!;
    const task = await user.request("assistant_reply", LANG);
    await user.ack(task);
    const before = await tableCount(messages);
    await expectAppError(user.caller.tasks.submitReply({ taskId: task.id, text: "  \n " }), { code: "BAD_REQUEST", oaCode: 1010 });
    await expectAppError(user.caller.tasks.submitReply({ taskId: task.id, text: "x".repeat(2001) }), { code: "BAD_REQUEST", oaCode: 1008 });
    const [earlier] = await t.db.select().from(messages).where(eq(messages.id, rootId));
    await t.db.update(messages).set({ userId: user.id }).where(eq(messages.id, rootId));
    await expectAppError(user.caller.tasks.submitReply({ taskId: task.id, text: earlier!.text }), { code: "CONFLICT", oaCode: 1009 });
    await t.db.update(messages).set({ userId: earlier!.userId }).where(eq(messages.id, rootId));
    expect(await tableCount(messages)).toBe(before);
    await user.caller.tasks.submitReply({ taskId: task.id, text: "A fine answer" });
  });

  it("validates labels: names of the task, mandatory ones, values in [0, 1], never one's own message", async () => {
    const reviewer = team[2]!;
    const task = await reviewer.request("label_assistant_reply", LANG);
    if (task.payload.type !== "label_assistant_reply") throw new Error("expected a reply review");
    await reviewer.ack(task);
    const before = await tableCount(textLabels);
    await expectAppError(reviewer.caller.tasks.submitLabels({ taskId: task.id, labels: { spam: 0, made_up: 1 } }), { code: "BAD_REQUEST", oaCode: 2051 });
    await expectAppError(reviewer.caller.tasks.submitLabels({ taskId: task.id, labels: { quality: 1 } }), { code: "BAD_REQUEST", oaCode: 2052 });
    await expectAppError(reviewer.caller.tasks.submitLabels({ taskId: task.id, labels: { spam: 1.5 } }), { code: "BAD_REQUEST" });
    await expectAppError(reviewer.caller.tasks.submitLabels({ taskId: task.id, labels: { spam: 0 }, messageId: rootId }), { code: "BAD_REQUEST", oaCode: 2050 });
    expect(await tableCount(textLabels)).toBe(before);

    // A review task that (by a bug or an old client) targets the reviewer's own message is refused at submit.
    const [own] = await t.db.insert(tasks).values({
      userId: team[0]!.id, type: "label_initial_prompt", ack: true, parentMessageId: rootId, messageTreeId: rootId,
      payload: { ...task.payload, type: "label_initial_prompt", messageId: rootId },
    }).returning();
    await expectAppError(team[0]!.caller.tasks.submitLabels({ taskId: own!.id, labels: { spam: 0 } }), { code: "FORBIDDEN", oaCode: 2053 });
    await reviewer.caller.tasks.submitLabels({ taskId: task.id, labels: { spam: 0 } });
  });

  it("only accepts rankings that order exactly the offered replies", async () => {
    // Build a tree in ranking: goal 3 with two accepted assistant replies.
    const small = testTreeDeps({ goalTreeSize: 3, numReviewsInitialPrompt: 1, numReviewsReply: 1, pLonelyChildExtension: 0 });
    const [a, b, c, d] = await createContributors(t.db, small, ["Ra", "Rb", "Rc", "Rd"]);
    await a!.requestAndComplete("initial_prompt", "bb");
    await b!.requestAndComplete("label_initial_prompt", "bb");
    await b!.requestAndComplete("assistant_reply", "bb");
    await c!.requestAndComplete("assistant_reply", "bb");
    await d!.requestAndComplete("label_assistant_reply", "bb");
    await d!.requestAndComplete("label_assistant_reply", "bb");
    const task = await d!.request("rank_assistant_replies", "bb");
    if (task.payload.type !== "rank_assistant_replies") throw new Error("expected a rank task");
    await d!.ack(task);
    const [x, y] = task.payload.replies.map((reply) => reply.id) as [string, string];
    for (const ranking of [[x], [x, x], [x, y, crypto.randomUUID()], [x, crypto.randomUUID()]]) {
      await expectAppError(d!.caller.tasks.submitRanking({ taskId: task.id, rankedMessageIds: ranking }), { code: "BAD_REQUEST", oaCode: 2003 });
    }
    await d!.caller.tasks.submitRanking({ taskId: task.id, rankedMessageIds: [y, x] });
  });

  it("refuses a ninth unfinished task within the window", async () => {
    const busy = await Contributor.create(t.db, testTreeDeps({ maxPendingTasksPerUser: 2 }), "Busy");
    await busy.request("initial_prompt", "bc");
    await busy.request("initial_prompt", "bc");
    await expectAppError(busy.request("initial_prompt", "bc"), { code: "TOO_MANY_REQUESTS", oaCode: 1012 });
  });

  it("refuses task types that are never generated, bad languages and users without accepted terms", async () => {
    await expectAppError(team[1]!.request("summarize_story", LANG), { code: "NOT_FOUND", oaCode: 1006 });
    await expectAppError(team[1]!.caller.tasks.request({ type: "random", lang: "not a lang!" }), { code: "BAD_REQUEST" });
    const newcomer = await createTestUser(t.db, { tosAcceptanceDate: null });
    await expectAppError(callerFor(t.db, newcomer.id).tasks.request({ type: "random", lang: LANG }), { code: "FORBIDDEN", appCode: "TOS_NOT_ACCEPTED" });
  });

  it("skipping marks the target so the same user is not offered it again", async () => {
    const user = await Contributor.create(t.db, deps, "Skipper");
    const task = await user.request("assistant_reply", LANG);
    const skipsBefore = (await t.db.select().from(messages).where(eq(messages.id, rootId)))[0]!.emojis._skip_reply ?? 0;
    await user.caller.tasks.skip({ taskId: task.id, reason: "cannot answer" });
    await user.caller.tasks.skip({ taskId: task.id, reason: "twice is a no-op" });
    const [parent] = await t.db.select().from(messages).where(eq(messages.id, rootId));
    expect(parent!.emojis._skip_reply).toBe(skipsBefore + 1);
    expect((await user.caller.tasks.availability({ lang: LANG })).assistant_reply).toBe(0);
  });
});

describe("resuming", () => {
  it("returns the open task of a type, and skips one whose tree moved on", async () => {
    const user = await Contributor.create(t.db, deps, "Resumer");
    expect(await user.caller.tasks.resume({ type: "initial_prompt" })).toBeNull();
    const task = await user.request("initial_prompt", "bd");
    expect((await user.caller.tasks.resume({ type: "initial_prompt" }))?.id).toBe(task.id);
    expect((await user.caller.tasks.resume({ type: "random" }))?.id).toBe(task.id);
    expect(await user.caller.tasks.resume({ type: "assistant_reply" })).toBeNull();

    const reply = await user.request("assistant_reply", LANG);
    await t.db.update(messageTreeStates).set({ state: "halted_by_moderator", active: false }).where(eq(messageTreeStates.messageTreeId, rootId));
    expect(await user.caller.tasks.resume({ type: "assistant_reply" })).toBeNull();
    const [stale] = await t.db.select().from(tasks).where(eq(tasks.id, reply.id));
    expect(stale).toMatchObject({ skipped: true });
    await t.db.update(messageTreeStates).set({ state: "growing", active: true }).where(eq(messageTreeStates.messageTreeId, rootId));
  });
});
