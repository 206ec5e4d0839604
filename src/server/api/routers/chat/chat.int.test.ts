import { count, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { chatMessages, chatMessageEvaluations, chats, inferenceJobs } from "@/server/db/schema";
import { claimJob, finishJob } from "@/server/domain/chat/queue";
import { registerWorker } from "@/server/domain/chat/workers";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();
const MODEL = "OA_SFT_Llama_30B_6";

async function newUser(overrides: Parameters<typeof createTestUser>[1] = {}) {
  const user = await createTestUser(t.db, overrides);
  return { user, chat: callerFor(t.db, user.id).chat, inference: callerFor(t.db, user.id).inference };
}

// Replies are refused at once for a model nobody serves: a live worker (fresh heartbeat) serves MODEL in every test.
beforeEach(async () => {
  await registerWorker(t.db, { name: "live", engine: "test", models: [MODEL], hostname: "here" });
});

/** A worker that answers the next queued job at once with `text`. */
async function answerNextJob(text: string) {
  const workerId = await registerWorker(t.db, { name: "test", engine: "test", models: [MODEL], hostname: "here" });
  const job = await claimJob(t.db, { workerId, models: [MODEL], leaseMs: 10_000 });
  expect(job).not.toBeNull();
  await finishJob(t.db, job!, { content: text, stopped: false });
  return job!;
}

describe("chat lifecycle", () => {
  it("creates, lists by activity with a cursor, renames, hides and unhides, opts out and deletes", async () => {
    const { chat } = await newUser();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await chat.create());
    await chat.postMessage({ chatId: created[1]!.id, parentId: null, content: "Most recent activity\nsecond line" });

    const first = await chat.list({ limit: 2 });
    expect(first.chats.map((c) => c.id)).toEqual([created[1]!.id, created[4]!.id]);
    expect(first.chats[0]!.title).toBe("Most recent activity");
    const second = await chat.list({ limit: 2, cursor: first.nextCursor });
    const third = await chat.list({ limit: 2, cursor: second.nextCursor });
    expect([...second.chats, ...third.chats].map((c) => c.id)).toEqual([created[3]!.id, created[2]!.id, created[0]!.id]);
    expect(third.nextCursor).toBeNull();

    expect((await chat.rename({ chatId: created[0]!.id, title: "  Renamed  " })).title).toBe("Renamed");
    await chat.setHidden({ chatId: created[0]!.id, hidden: true });
    expect((await chat.list({ limit: 10 })).chats.map((c) => c.id)).not.toContain(created[0]!.id);
    expect((await chat.list({ limit: 10, includeHidden: true })).chats.map((c) => c.id)).toContain(created[0]!.id);
    await chat.setHidden({ chatId: created[0]!.id, hidden: false });
    expect((await chat.list({ limit: 10 })).chats).toHaveLength(5);

    expect((await chat.optOut({ chatId: created[2]!.id })).allowDataUse).toBe(false);
    expect((await chat.hideAll()).hidden).toBe(5);

    await chat.delete({ chatId: created[3]!.id });
    await expectAppError(chat.get({ chatId: created[3]!.id }), { code: "NOT_FOUND", appCode: "CHAT_NOT_FOUND" });
    await expectAppError(chat.list({ limit: 5, cursor: "garbage" }), { code: "BAD_REQUEST", appCode: "INVALID_CURSOR_VALUE" });
  });

  it("pages back to newer chats with `before` (OA's before cursor), and refuses both cursors at once", async () => {
    const { chat } = await newUser();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await chat.create());
    const newestFirst = [...created].reverse().map((c) => c.id);
    const first = await chat.list({ limit: 2 });
    expect(first.prevCursor).toBeNull();
    const second = await chat.list({ limit: 2, cursor: first.nextCursor });
    const third = await chat.list({ limit: 2, cursor: second.nextCursor });
    expect(third.chats.map((c) => c.id)).toEqual(newestFirst.slice(4));
    // Back from the last page: the two just newer, newest first, then the first page, which has no newer one.
    const back = await chat.list({ limit: 2, before: third.prevCursor });
    expect(back.chats.map((c) => c.id)).toEqual(newestFirst.slice(2, 4));
    expect(back.nextCursor).not.toBeNull();
    const top = await chat.list({ limit: 2, before: back.prevCursor });
    expect(top.chats.map((c) => c.id)).toEqual(newestFirst.slice(0, 2));
    expect(top.prevCursor).toBeNull();
    expect((await chat.list({ limit: 2, cursor: top.nextCursor })).chats.map((c) => c.id)).toEqual(newestFirst.slice(2, 4));
    await expectAppError(chat.list({ limit: 2, cursor: first.nextCursor, before: third.prevCursor }), { code: "BAD_REQUEST", appCode: "INVALID_CURSOR_VALUE" });
  });

  it("keeps chats private: another user's chat is not found", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const chat = await alice.chat.create();
    await expectAppError(bob.chat.get({ chatId: chat.id }), { code: "NOT_FOUND", appCode: "CHAT_NOT_FOUND" });
    await expectAppError(bob.chat.delete({ chatId: chat.id }), { code: "NOT_FOUND" });
    await expectAppError(bob.chat.postMessage({ chatId: chat.id, parentId: null, content: "hi" }), { code: "NOT_FOUND" });
  });

  it("needs a signed-in user who accepted the terms", async () => {
    await expectAppError(callerFor(t.db, null).chat.list({}), { code: "UNAUTHORIZED" });
    const { chat } = await newUser({ tosAcceptanceDate: null });
    await expectAppError(chat.create(), { code: "FORBIDDEN", appCode: "TOS_NOT_ACCEPTED" });
  });
});

describe("messages and replies", () => {
  it("builds a tree: prompt, reply, edit as a sibling branch, regenerate as a sibling reply", async () => {
    const { chat } = await newUser();
    const { id: chatId } = await chat.create();
    const { prompt: root, reply } = await chat.postMessage({ chatId, parentId: null, content: "Hello?", reply: { modelConfigName: MODEL } });
    expect(reply).toMatchObject({ role: "assistant", state: "pending", parentId: root.id });
    expect(reply!.workParameters).toMatchObject({ modelConfigName: MODEL, sampling: { topK: 50, topP: 0.95, temperature: 0.75, repetitionPenalty: 1.2 } });

    await expectAppError(chat.postMessage({ chatId, parentId: null, content: "second root" }), { code: "BAD_REQUEST", appCode: "CHAT_INVALID_PARENT" });
    await expectAppError(chat.postMessage({ chatId, parentId: reply!.id, content: "too early" }), {
      code: "PRECONDITION_FAILED",
      appCode: "CHAT_PARENT_NOT_COMPLETE",
    });
    await expectAppError(chat.postMessage({ chatId, parentId: root.id, content: "prompter under prompter" }), {
      code: "BAD_REQUEST",
      appCode: "CHAT_INVALID_PARENT",
    });

    await answerNextJob("Hi! How can I help?");
    const followUp = await chat.postMessage({ chatId, parentId: reply!.id, content: "Tell me a joke" });
    const edit = await chat.postMessage({ chatId, parentId: reply!.id, content: "Tell me a story" });
    expect(edit.prompt.parentId).toBe(followUp.prompt.parentId);

    const retry = await chat.regenerate({ messageId: reply!.id, preset: "k50-Precise" });
    expect(retry).toMatchObject({ parentId: root.id, state: "pending" });
    expect(retry.workParameters!.sampling.temperature).toBe(0.1);

    const detail = await chat.get({ chatId });
    expect(detail.messages).toHaveLength(5);
    // The newest action was the retry, so the shown branch is root → retry.
    expect(detail.activeBranch).toEqual([root.id, retry.id]);
    await chat.setActiveTail({ chatId, messageId: followUp.prompt.id });
    expect((await chat.get({ chatId })).activeBranch).toEqual([root.id, reply!.id, followUp.prompt.id]);
  });

  it("validates reply settings: model, preset and sampling ranges", async () => {
    const { chat } = await newUser();
    const { id: chatId } = await chat.create();
    const { prompt } = await chat.postMessage({ chatId, parentId: null, content: "Hi" });
    await expectAppError(chat.requestReply({ parentId: prompt.id, modelConfigName: "gpt-99" }), { code: "BAD_REQUEST", appCode: "CHAT_MODEL_NOT_FOUND" });
    await expectAppError(chat.requestReply({ parentId: prompt.id, modelConfigName: MODEL, preset: "wild" }), { code: "BAD_REQUEST", appCode: "INVALID_INPUT" });
    for (const sampling of [{ temperature: 0 }, { temperature: 2.5 }, { maxNewTokens: 1025 }, { topK: 1 }, { topP: 1.2 }, { repetitionPenalty: 0.5 }]) {
      await expectAppError(chat.requestReply({ parentId: prompt.id, modelConfigName: MODEL, sampling }), { code: "BAD_REQUEST" });
    }
    const reply = await chat.requestReply({
      parentId: prompt.id,
      modelConfigName: MODEL,
      preset: "typical2",
      sampling: { maxNewTokens: 64, temperature: null },
      userProfile: "I am a gardener",
    });
    expect(reply.workParameters).toMatchObject({
      sampling: { typicalP: 0.2, temperature: null, maxNewTokens: 64, topK: null },
      userProfile: "I am a gardener",
    });
    expect((await t.db.select({ n: count() }).from(chatMessages).where(eq(chatMessages.chatId, chatId)))[0]!.n).toBe(2);
  });

  it("votes and reports assistant replies only; draft choice is recorded unless opted out", async () => {
    const { user, chat } = await newUser();
    const { id: chatId } = await chat.create();
    const { prompt, reply } = await chat.postMessage({ chatId, parentId: null, content: "Hi", reply: { modelConfigName: MODEL } });
    const draft = await chat.requestReply({ parentId: prompt.id, modelConfigName: MODEL });
    expect((await chat.vote({ messageId: reply!.id, score: 1 })).score).toBe(1);
    expect((await chat.vote({ messageId: reply!.id, score: 0 })).score).toBe(0);
    await expectAppError(chat.vote({ messageId: prompt.id, score: 1 }), { code: "BAD_REQUEST", appCode: "CHAT_NOT_ASSISTANT_MESSAGE" });
    await expectAppError(chat.vote({ messageId: reply!.id, score: 2 as 1 }), { code: "BAD_REQUEST" });
    const reported = await chat.report({ messageId: reply!.id, reportType: "offensive", reason: "rude" });
    expect(reported.reports).toMatchObject([{ reportType: "offensive", reason: "rude" }]);

    await chat.chooseDraft({ messageId: draft.id, otherMessageIds: [reply!.id] });
    const evaluations = await t.db.select().from(chatMessageEvaluations).where(eq(chatMessageEvaluations.userId, user.id));
    expect(evaluations).toMatchObject([{ selectedMessageId: draft.id, inferiorMessageIds: [reply!.id] }]);
    expect((await chat.get({ chatId })).chat.activeThreadTailMessageId).toBe(draft.id);
    await expectAppError(chat.chooseDraft({ messageId: draft.id, otherMessageIds: [prompt.id] }), { code: "BAD_REQUEST" });

    await chat.optOut({ chatId });
    await chat.chooseDraft({ messageId: reply!.id, otherMessageIds: [draft.id] });
    expect(await t.db.select().from(chatMessageEvaluations).where(eq(chatMessageEvaluations.userId, user.id))).toHaveLength(1);
  });

  it("stops a queued reply at once and refuses a second stream-less stop quietly", async () => {
    const { chat } = await newUser();
    const { id: chatId } = await chat.create();
    const { reply } = await chat.postMessage({ chatId, parentId: null, content: "Hi", reply: { modelConfigName: MODEL } });
    const stopped = await chat.stop({ messageId: reply!.id });
    expect(stopped).toMatchObject({ state: "cancelled", stopped: false });
    expect((await chat.stop({ messageId: reply!.id })).state).toBe("cancelled");
    const [job] = await t.db.select().from(inferenceJobs).where(eq(inferenceJobs.chatMessageId, reply!.id));
    expect(job!.status).toBe("cancelled");
  });

  it("refuses a fifth pending reply per user and writes nothing", async () => {
    const { chat } = await newUser();
    const { id: chatId } = await chat.create();
    const { prompt } = await chat.postMessage({ chatId, parentId: null, content: "Hi" });
    for (let i = 0; i < 4; i++) await chat.requestReply({ parentId: prompt.id, modelConfigName: MODEL });
    await expectAppError(chat.requestReply({ parentId: prompt.id, modelConfigName: MODEL }), { code: "TOO_MANY_REQUESTS", appCode: "CHAT_TOO_MANY_PENDING" });
    expect((await t.db.select({ n: count() }).from(chatMessages).where(eq(chatMessages.chatId, chatId)))[0]!.n).toBe(5);
    const [row] = await t.db.select().from(chats).where(eq(chats.id, chatId));
    expect(row!.activeThreadTailMessageId).not.toBeNull();
  });
});

describe("rate limit", () => {
  it("allows 20 reply requests per user in 10 minutes (OA's limit), then answers TOO_MANY_REQUESTS", async () => {
    const { chat } = await newUser();
    const { id: chatId } = await chat.create();
    const { prompt } = await chat.postMessage({ chatId, parentId: null, content: "Hi" });
    for (let i = 0; i < 20; i++) {
      const reply = await chat.requestReply({ parentId: prompt.id, modelConfigName: MODEL });
      await chat.stop({ messageId: reply.id });
    }
    const error = await expectAppError(chat.requestReply({ parentId: prompt.id, modelConfigName: MODEL }), { code: "TOO_MANY_REQUESTS" });
    expect((error.cause as { details?: { retryAfterSeconds?: number } }).details?.retryAfterSeconds).toBeGreaterThan(0);
    // A new chat and its first message (no reply asked for) are not limited.
    const other = await chat.create();
    await chat.postMessage({ chatId: other.id, parentId: null, content: "still fine" });
  });
});

describe("drafts (issue 11 #3)", () => {
  it("regenerates as NUM_GENERATED_DRAFTS siblings with their own seeds; the pick is stored as an evaluation", async () => {
    const { user, chat } = await newUser();
    const { id: chatId } = await chat.create();
    const { reply } = await chat.postMessage({ chatId, parentId: null, content: "Draft me", reply: { modelConfigName: MODEL } });
    await answerNextJob("First answer");
    const drafts = await chat.regenerateDrafts({ messageId: reply!.id });
    expect(drafts).toHaveLength(3);
    expect(new Set(drafts.map((d) => d.parentId))).toEqual(new Set([reply!.parentId]));
    expect(new Set(drafts.map((d) => d.workParameters!.seed)).size).toBe(3);
    for (const draft of drafts) expect(draft.workParameters).toMatchObject({ modelConfigName: MODEL });
    await chat.chooseDraft({ messageId: drafts[1]!.id, otherMessageIds: [drafts[0]!.id, drafts[2]!.id] });
    const evaluations = await t.db.select().from(chatMessageEvaluations).where(eq(chatMessageEvaluations.userId, user.id));
    expect(evaluations).toMatchObject([{ selectedMessageId: drafts[1]!.id, inferiorMessageIds: [drafts[0]!.id, drafts[2]!.id] }]);
    expect((await chat.get({ chatId })).chat.activeThreadTailMessageId).toBe(drafts[1]!.id);
  });

  it("writes one reply in an opted-out chat, and none when the caps leave no room for every draft", async () => {
    const { chat } = await newUser();
    const { id: chatId } = await chat.create();
    const { reply } = await chat.postMessage({ chatId, parentId: null, content: "Draft me", reply: { modelConfigName: MODEL } });
    await answerNextJob("First answer");
    // The per-user cap is 4: two replies on their way plus three drafts would be five.
    for (let i = 0; i < 2; i++) await chat.requestReply({ parentId: reply!.parentId!, modelConfigName: MODEL });
    const before = (await t.db.select({ n: count() }).from(chatMessages))[0]!.n;
    await expectAppError(chat.regenerateDrafts({ messageId: reply!.id }), { code: "TOO_MANY_REQUESTS", appCode: "CHAT_TOO_MANY_PENDING" });
    expect((await t.db.select({ n: count() }).from(chatMessages))[0]!.n).toBe(before);

    await chat.optOut({ chatId });
    expect(await chat.regenerateDrafts({ messageId: reply!.id })).toHaveLength(1);
  });
});

describe("models and the moderator view", () => {
  it("lists model configs with presets, ranges and online workers", async () => {
    const { chat } = await newUser();
    await registerWorker(t.db, { name: "gpu-1", engine: "openai", models: [MODEL, "_lorem"], hostname: "gpu-host" });
    const listing = await chat.models();
    expect(listing.models).toHaveLength(26); // OA's 25 and dev-echo
    expect(listing.models.find((m) => m.name === MODEL)).toMatchObject({ maxInputLength: 1024, maxTotalLength: 1792, compatHash: `OpenAssistant/oasst-sft-6-llama-30b-1792-1024-f` });
    expect(listing.models.find((m) => m.name === MODEL)!.workersOnline).toBeGreaterThanOrEqual(1);
    expect(listing.presets.map((p) => p.name)).toEqual(["k50", "k50-Creative", "k50-Precise", "k50-Original", "k50-Plugins", "nucleus9", "typical2", "typical3"]);
  });

  it("shows workers and queue to moderators only", async () => {
    const { inference } = await newUser();
    await expectAppError(inference.workers(), { code: "FORBIDDEN" });
    const moderator = await newUser({ role: "moderator" });
    await registerWorker(t.db, { name: "gpu-2", engine: "gguf", models: ["_lorem"], hostname: "box" });
    const workers = await moderator.inference.workers();
    expect(workers.find((w) => w.name === "gpu-2")).toMatchObject({ health: "online", engine: "gguf", runningJobs: 0 });
    expect(Array.isArray(await moderator.inference.queue())).toBe(true);
  });
});
