import { describe, expect, it } from "vitest";
import { seedMessage, seedTree } from "@/server/domain/leaderboard/scenario.test-helper";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();

describe("stats.cached", () => {
  it("is empty before the first refresh, then holds every statistic", async () => {
    const anonymous = callerFor(t.db, null);
    expect(await anonymous.stats.cached()).toEqual({ lastUpdated: null, stats: {} });
    const author = await createTestUser(t.db);
    // Contributions made now (the helper's default is an hour ago, which is yesterday in the first hour of a UTC day).
    const now = new Date();
    const root = await seedMessage(t.db, { userId: author.id, reviewResult: true, lang: "de", createdDate: now });
    await seedTree(t.db, root, "growing", "de");
    await seedMessage(t.db, { userId: author.id, parentId: root, treeId: root, reviewResult: true, lang: "de", createdDate: now });
    await seedMessage(t.db, { userId: null, reviewResult: true, lang: "en" }); // imported: still human
    const moderator = callerFor(t.db, (await createTestUser(t.db, { role: "moderator" })).id);
    const refreshed = await moderator.stats.refreshCached();
    expect(refreshed.lastUpdated).toBeInstanceOf(Date);
    expect(refreshed.stats).toMatchObject({
      human_messages_by_lang: { de: 2, en: 1 },
      human_messages_by_role: { prompter: 2, assistant: 1 },
      message_trees_by_state: { growing: 1 },
      message_trees_states_by_lang: [{ lang: "de", state: "growing", count: 1 }],
      users_accepted_tos: { count: 2 },
    });
    const days = refreshed.stats.contributions_by_day!;
    expect(days).toHaveLength(30);
    // Their UTC day: the last one, unless the refresh ran after midnight.
    expect(days.find((day) => day.day === now.toISOString().slice(0, 10))).toMatchObject({ prompts: 1, replies: 1 });
    expect(await anonymous.stats.cached()).toEqual(refreshed);
  });

  it("can only be refreshed by moderators", async () => {
    await expectAppError(callerFor(t.db, (await createTestUser(t.db)).id).stats.refreshCached(), { code: "FORBIDDEN" });
  });
});

describe("stats.similarPrompts", () => {
  it("says the check is off when no embeddings endpoint is configured", async () => {
    const caller = callerFor(t.db, (await createTestUser(t.db)).id);
    expect(await caller.stats.similarPrompts({ text: "How do I bake bread?", lang: "en" })).toEqual({ enabled: false, threshold: null, matches: [] });
    await expectAppError(caller.stats.similarPrompts({ text: "  ", lang: "en" }), { code: "BAD_REQUEST" });
  });
});
