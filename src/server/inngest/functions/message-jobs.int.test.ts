import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flaggedMessages, messageEmbeddings, messages, messageToxicity } from "@/server/db/schema";
import { bagOfWords, type FakeModelServer, startFakeModelServer } from "@/server/domain/embeddings/fake-model-server.test-helper";
import { findNearDuplicatePrompts } from "@/server/domain/embeddings/near-duplicates";
import { seedMessage } from "@/server/domain/leaderboard/scenario.test-helper";
import { setupTestDatabase } from "@/test/database";
import { createTestUser } from "@/test/factories";
import { MESSAGE_CREATED } from "../events";
import type { JobDeps } from "../job";
import { silentLogger, testJobDeps } from "../test-deps.test-helper";
import { toInngestFunction } from "../to-inngest";
import { computeEmbeddingJob } from "./compute-embedding";
import { scoreToxicityJob } from "./score-toxicity";

const t = setupTestDatabase();
const client = new Inngest({ id: "oa-test", logger: silentLogger });
let server: FakeModelServer;
let author: string;

beforeAll(async () => {
  server = await startFakeModelServer();
  author = (await createTestUser(t.db)).id;
});
afterAll(() => server.close());

const event = (messageId: string) => ({ events: [{ name: MESSAGE_CREATED, data: { messageId } }] as [{ name: string; data: { messageId: string } }] });
const engineFor = (job: typeof scoreToxicityJob, deps: JobDeps = testJobDeps(t.db, { url: server.url })) =>
  new InngestTestEngine({ function: toInngestFunction(client, job, deps) });
const stepIds = (ctx: { step: { run: { mock: { calls: unknown[][] } } } }) => ctx.step.run.mock.calls.map((call) => call[0]);

describe("score-toxicity", () => {
  it("is configured for retries, one run per message and idempotent events", () => {
    const fn = toInngestFunction(client, scoreToxicityJob, testJobDeps(t.db));
    expect(fn.opts).toMatchObject({ retries: 5, idempotency: "event.data.messageId", concurrency: [{ limit: 1, key: "event.data.messageId" }, { limit: 4 }] });
  });

  it("loads, classifies and stores in three steps, flagging a toxic message", async () => {
    const messageId = await seedMessage(t.db, { userId: author, text: "I hate everyone here" });
    const { result, ctx } = await engineFor(scoreToxicityJob).execute(event(messageId));
    expect(result).toMatchObject({ messageId, label: "toxic", score: 0.97, flagged: true });
    expect(stepIds(ctx)).toEqual(["load-message", "classify", "store"]);
    expect(await t.db.select().from(messageToxicity).where(eq(messageToxicity.messageId, messageId))).toMatchObject([
      { model: "unitary/multilingual-toxic-xlm-roberta", label: "toxic" },
    ]);
    expect(await t.db.select().from(flaggedMessages).where(eq(flaggedMessages.messageId, messageId))).toMatchObject([{ processed: false }]);
  });

  it("stores a harmless message's score without flagging it", async () => {
    const messageId = await seedMessage(t.db, { userId: author, text: "What a lovely garden" });
    const { result } = await engineFor(scoreToxicityJob).execute(event(messageId));
    expect(result).toMatchObject({ label: "non-toxic", flagged: false });
    expect(await t.db.select().from(flaggedMessages).where(eq(flaggedMessages.messageId, messageId))).toEqual([]);
  });

  it("is idempotent: a replayed event changes nothing and calls no API", async () => {
    const messageId = await seedMessage(t.db, { userId: author, text: "I hate mondays" });
    await engineFor(scoreToxicityJob).execute(event(messageId));
    await t.db.update(flaggedMessages).set({ processed: true }).where(eq(flaggedMessages.messageId, messageId));
    const calls = server.requests.length;
    const { result, ctx } = await engineFor(scoreToxicityJob).execute(event(messageId));
    expect(result).toEqual({ skipped: "already scored" });
    expect(stepIds(ctx)).toEqual(["load-message"]);
    expect(server.requests.length).toBe(calls);
    expect(await t.db.select().from(messageToxicity).where(eq(messageToxicity.messageId, messageId))).toHaveLength(1);
    // A moderator's decision stays: storing again (a retried store step) does not re-open the flag.
    await t.db.delete(messageToxicity).where(eq(messageToxicity.messageId, messageId));
    await engineFor(scoreToxicityJob).execute(event(messageId));
    expect(await t.db.select().from(flaggedMessages).where(eq(flaggedMessages.messageId, messageId))).toMatchObject([{ processed: true }]);
  });

  it("fails the classify step retriably while the model loads, and the retry succeeds once", async () => {
    const messageId = await seedMessage(t.db, { userId: author, text: "hate speech sample" });
    server.failNext(1, 503);
    const failed = await engineFor(scoreToxicityJob).execute(event(messageId));
    expect(failed.error).toMatchObject({ name: "ModelApiError", message: expect.stringContaining("503") });
    expect(await t.db.select().from(messageToxicity).where(eq(messageToxicity.messageId, messageId))).toEqual([]);
    // Inngest runs the function again (the test engine does not model retries, so we do): it completes.
    const retried = await engineFor(scoreToxicityJob).execute(event(messageId));
    expect(retried.result).toMatchObject({ flagged: true });
    expect(await t.db.select().from(messageToxicity).where(eq(messageToxicity.messageId, messageId))).toHaveLength(1);
  });

  it("gives up at once on an error a retry cannot fix", async () => {
    const messageId = await seedMessage(t.db, { userId: author, text: "anything" });
    server.failNext(1, 401);
    const { error } = await engineFor(scoreToxicityJob).execute(event(messageId));
    expect(error).toMatchObject({ name: "NonRetriableError", message: expect.stringContaining("401") });
  });

  it("runs the classify step alone with the loaded message mocked", async () => {
    const { result } = await engineFor(scoreToxicityJob).executeStep("classify", {
      ...event(crypto.randomUUID()),
      steps: [{ id: "load-message", handler: () => ({ text: "I hate this" }) }],
    });
    expect(result).toEqual({ label: "toxic", score: 0.97, toxicScore: 0.97 });
  });

  it("skips deleted messages and does nothing when scoring is off", async () => {
    const deleted = await seedMessage(t.db, { userId: author, text: "hate", deleted: true });
    expect((await engineFor(scoreToxicityJob).execute(event(deleted))).result).toEqual({ skipped: "message not found or deleted" });
    const off = engineFor(scoreToxicityJob, testJobDeps(t.db));
    expect((await off.execute(event(deleted))).result).toEqual({ skipped: "toxicity scoring is off (TOXICITY_PROVIDER=none)" });
  });
});

describe("compute-embedding", () => {
  it("embeds and stores in three steps, idempotently", async () => {
    const messageId = await seedMessage(t.db, { userId: author, text: "How do I bake sourdough bread" });
    const { result, ctx } = await engineFor(computeEmbeddingJob).execute(event(messageId));
    expect(result).toEqual({ messageId, model: "test-embedder", dimensions: 64 });
    expect(stepIds(ctx)).toEqual(["load-message", "embed", "store"]);
    const [row] = await t.db.select().from(messageEmbeddings).where(eq(messageEmbeddings.messageId, messageId));
    expect(row!.embedding).toEqual(bagOfWords("How do I bake sourdough bread"));
    expect((await engineFor(computeEmbeddingJob).execute(event(messageId))).result).toEqual({ skipped: "already embedded" });
    expect(await t.db.select().from(messageEmbeddings).where(eq(messageEmbeddings.messageId, messageId))).toHaveLength(1);
  });

  it("retries the embed step on a 503", async () => {
    const messageId = await seedMessage(t.db, { userId: author, text: "Tell me about volcanoes" });
    server.failNext(1, 503);
    expect((await engineFor(computeEmbeddingJob).execute(event(messageId))).error).toMatchObject({ name: "ModelApiError" });
    expect((await engineFor(computeEmbeddingJob).execute(event(messageId))).result).toMatchObject({ dimensions: 64 });
  });
});

describe("findNearDuplicatePrompts", () => {
  it("finds live prompts of the language whose embedding is close, best first", async () => {
    const deps = testJobDeps(t.db, { url: server.url });
    const seed = async (text: string, options: { lang?: string; reviewResult?: boolean | null; deleted?: boolean; parentId?: string } = {}) => {
      const id = await seedMessage(t.db, { userId: author, text, ...options, treeId: options.parentId });
      await engineFor(computeEmbeddingJob, deps).execute(event(id));
      return id;
    };
    const bread = await seed("how can I bake a good loaf of bread at home");
    const closeBread = await seed("how can I bake a good loaf of bread");
    await seed("how can I bake a good loaf of bread at home", { lang: "de" });
    await seed("how can I bake a good loaf of bread at home", { reviewResult: false });
    await seed("how can I bake a good loaf of bread at home", { deleted: true });
    await seed("how can I bake a good loaf of bread at home", { parentId: bread });
    await seed("explain the history of the roman empire");
    const config = deps.embeddings()!;
    const matches = await findNearDuplicatePrompts(t.db, "How can I bake a good loaf of bread at home?", "en", config);
    expect(matches.map((match) => match.messageId)).toEqual([bread, closeBread]);
    expect(matches[0]!.similarity).toBeCloseTo(1);
    expect(matches[1]!.similarity).toBeGreaterThanOrEqual(0.9);
    expect(await findNearDuplicatePrompts(t.db, "what is the capital of peru", "en", config)).toEqual([]);
    expect(await findNearDuplicatePrompts(t.db, "how can I bake bread", "en", null)).toEqual([]);
    const [stored] = await t.db.select({ text: messages.text }).from(messages).where(eq(messages.id, bread));
    expect(matches[0]!.text).toBe(stored!.text);
  });
});
