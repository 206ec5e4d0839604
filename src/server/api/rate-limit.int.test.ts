import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApiClient } from "@/server/domain/api-clients/keys";
import type { AppError } from "@/server/errors";
import { RATE_LIMIT_POLICIES, setRateLimiter } from "@/server/ratelimit";
import { MemoryRateLimiter } from "@/server/ratelimit/memory-limiter";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();
let limiter: MemoryRateLimiter;
beforeEach(() => {
  // A stopped clock: every call of a test falls in one fixed window, however slow the machine (a window ending in the
  // middle of a test would reset its counts). The test of live figures below uses the real clock.
  const now = Date.now();
  limiter = new MemoryRateLimiter(() => now);
  setRateLimiter(limiter);
});
afterEach(() => setRateLimiter(undefined));

async function tooManyRequests(promise: Promise<unknown>) {
  const error = await expectAppError(promise, { code: "TOO_MANY_REQUESTS", appCode: "TOO_MANY_REQUESTS", oaCode: 429 });
  return (error.cause as AppError).details as { retryAfterSeconds: number; policy: string };
}

describe("tasks.request rate limits", () => {
  it("allow 30 requests per user, counting refusals too, then answer with the retry time", async () => {
    const [ann, ben] = (await createContributors(t.db, testTreeDeps(), ["Ann", "Ben"])) as Contributor[];
    for (let i = 0; i < 30; i++) await expect(ann!.request("rank_prompter_replies", "ra")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const details = await tooManyRequests(ann!.request("rank_prompter_replies", "ra"));
    expect(details.policy).toBe("taskRequest");
    expect(details.retryAfterSeconds).toBeGreaterThan(0);
    expect(details.retryAfterSeconds).toBeLessThanOrEqual(240);
    // The budget is the user's, across every type (issue 12 #19); another user has their own.
    expect((await tooManyRequests(ann!.request("label_prompter_reply", "ra"))).policy).toBe("taskRequest");
    await expect(ben!.request("rank_prompter_replies", "ra")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("count random and typed requests under one per-user budget (issue 12 #19)", async () => {
    const [ann] = (await createContributors(t.db, testTreeDeps({ initPromptDisabledLangs: ["rf"] }), ["Ann"])) as Contributor[];
    for (let i = 0; i < 30; i++) await expect(ann!.request("random", "rf")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await tooManyRequests(ann!.request("initial_prompt", "rf"))).policy).toBe("taskRequest");
    expect((await tooManyRequests(ann!.request("assistant_reply", "rf"))).policy).toBe("taskRequest");
  });

  it("never hand out more than 4 assistant replies in 2 minutes through random requests (issue 12 #20)", async () => {
    // Six growing trees whose prompts only Dave can answer; prompts are not asked for, so random can only give replies.
    const deps = testTreeDeps({ numReviewsInitialPrompt: 1, initPromptDisabledLangs: ["rg"] });
    const setup = testTreeDeps({ numReviewsInitialPrompt: 1 });
    const [author, reviewer] = (await createContributors(t.db, setup, ["Author", "Reviewer"])) as Contributor[];
    for (let i = 0; i < 6; i++) {
      await author!.requestAndComplete("initial_prompt", "rg");
      await reviewer!.requestAndComplete("label_initial_prompt", "rg");
    }
    const [dave] = (await createContributors(t.db, deps, ["Dave"])) as Contributor[];
    for (let i = 0; i < 4; i++) {
      const task = await dave!.request("random", "rg");
      expect(task.type).toBe("assistant_reply");
      await dave!.caller.tasks.skip({ taskId: task.id, reason: "next" });
    }
    const details = await tooManyRequests(dave!.request("random", "rg"));
    expect(details.policy).toBe("assistantReplyTask");
    expect(details.retryAfterSeconds).toBeLessThanOrEqual(120);
    const open = await dave!.caller.tasks.availability({ lang: "rg" });
    expect(open.assistant_reply).toBe(2);
  });

  it("give assistant replies OA's 4 per 2 minutes", async () => {
    const [ann] = (await createContributors(t.db, testTreeDeps(), ["Ann"])) as Contributor[];
    for (let i = 0; i < 4; i++) await expect(ann!.request("assistant_reply", "rb")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await tooManyRequests(ann!.request("assistant_reply", "rb"))).policy).toBe("assistantReplyTask");
  });

  it("charge a random request that hands out an assistant reply to the assistant-reply budget (fix §8.5)", async () => {
    const deps = testTreeDeps({ goalTreeSize: 3, numReviewsInitialPrompt: 2, numReviewsReply: 1, maxChildrenCount: 2, maxTreeDepth: 2 });
    const [alice, bob, carol, dave] = (await createContributors(t.db, deps, ["Alice", "Bob", "Carol", "Dave"])) as Contributor[];
    await alice!.requestAndComplete("initial_prompt", "rc");
    await bob!.requestAndComplete("label_initial_prompt", "rc");
    await carol!.requestAndComplete("label_initial_prompt", "rc");
    const random = await dave!.request("random", "rc");
    expect(random.type).toBe("assistant_reply");
    await dave!.caller.tasks.skip({ taskId: random.id, reason: "test" });
    for (let i = 0; i < 3; i++) await dave!.request("assistant_reply", "rc").catch(() => null);
    expect((await tooManyRequests(dave!.request("assistant_reply", "rc"))).policy).toBe("assistantReplyTask");
  });

  it("limit an API client across all the users it acts for", async () => {
    const { client, key } = await createApiClient(t.db, { description: "bot", frontendType: "discord", trusted: false });
    const policy = RATE_LIMIT_POLICIES.apiClient;
    for (let i = 0; i < policy.attempts; i++) await limiter.limit(`apiClient:${client.id}`, policy);
    const bot = callerFor(t.db, null, { "x-api-key": key, "x-oasst-user": "discord:42" });
    await bot.users.acceptTos();
    expect((await tooManyRequests(bot.tasks.request({ type: "random", lang: "rd" }))).policy).toBe("apiClient");
  });

  it("show admins each client's live figures from the same limiter: calls this window, the limit, last use", async () => {
    setRateLimiter(new MemoryRateLimiter());
    const admin = await createTestUser(t.db, { name: "Ada", role: "admin" });
    const { client, key } = await createApiClient(t.db, { description: "counted bot", frontendType: "discord", trusted: false });
    const figures = async () => (await callerFor(t.db, admin.id).apiClients.list()).clients.find((row) => row.id === client.id)!;
    expect((await figures()).rate).toMatchObject({ used: 0, limit: RATE_LIMIT_POLICIES.apiClient.attempts });
    expect((await figures()).lastUsedAt).toBeNull();
    const bot = callerFor(t.db, null, { "x-api-key": key, "x-oasst-user": "discord:77" });
    await bot.users.acceptTos();
    // All three calls in one fixed window (a minute): start afresh if this one ends within 5 s.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    const before = Date.now();
    for (let i = 0; i < 3; i++) await bot.tasks.request({ type: "random", lang: "rg" }).catch(() => null);
    const after = await figures();
    // Listing (twice above) counted nothing: exactly the bot's three calls.
    expect(after.rate).toMatchObject({ used: 3, limit: RATE_LIMIT_POLICIES.apiClient.attempts });
    expect(after.rate!.reset.getTime()).toBeGreaterThan(Date.now());
    expect(after.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});
