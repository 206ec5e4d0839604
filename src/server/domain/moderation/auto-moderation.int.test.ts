import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messageEmojis, messages, type TreeState } from "@/server/db/schema";
import { addEmoji } from "@/server/domain/messages/emoji-counts";
import { insertTestMessage, insertTestTree, readTestMessage, readTestTreeState } from "@/server/domain/messages/test-fixtures";
import { setupTestDatabase } from "@/test/database";
import { createTestUser, testTreeDeps } from "@/test/factories";
import { applyAutoModeration, type AutoModerationAction } from "./auto-moderation";

const t = setupTestDatabase();

/** What the task skip path does: add the user's `_skip_reply`, then let auto-moderation look at the new count. */
async function skipReply(messageId: string, userId: string, deps = testTreeDeps({ autoModMaxSkipReply: 3 })): Promise<AutoModerationAction[]> {
  return t.db.transaction(async (tx) => {
    const added = await addEmoji(tx, messageId, userId, "_skip_reply");
    return added ? applyAutoModeration(tx, messageId, deps) : [];
  });
}

describe("applyAutoModeration", () => {
  it("halts the tree when a message reaches autoModMaxSkipReply skips", async () => {
    const author = await createTestUser(t.db);
    const root = await insertTestTree(t.db, { userId: author.id });
    const reply = await insertTestMessage(t.db, { userId: author.id, parent: root });
    const skippers = await Promise.all(Array.from({ length: 3 }, () => createTestUser(t.db)));
    expect(await skipReply(reply.id, skippers[0]!.id)).toEqual([]);
    expect(await skipReply(reply.id, skippers[1]!.id)).toEqual([]);
    expect(await skipReply(reply.id, skippers[2]!.id)).toEqual(["tree_halted"]);
    expect(await readTestTreeState(t.db, root.id)).toMatchObject({ state: "halted_by_moderator", active: false });
  });

  it("halts exactly once when the deciding skips arrive together, and the count equals the rows", async () => {
    const author = await createTestUser(t.db);
    const root = await insertTestTree(t.db, { userId: author.id });
    const skippers = await Promise.all(Array.from({ length: 8 }, () => createTestUser(t.db)));
    const results = await Promise.all(skippers.map((skipper) => skipReply(root.id, skipper.id)));
    expect(results.filter((actions) => actions.includes("tree_halted"))).toHaveLength(1);
    const rows = await t.db.select().from(messageEmojis).where(eq(messageEmojis.messageId, root.id));
    expect((await readTestMessage(t.db, root.id))!.emojis._skip_reply).toBe(rows.length);
    expect(rows).toHaveLength(8);
  });

  it.each<[string, TreeState]>([
    ["a tree already in ranking", "ranking"],
    ["an exported tree", "ready_for_export"],
    ["a halted tree", "halted_by_moderator"],
  ])("leaves %s alone", async (_case, state) => {
    const author = await createTestUser(t.db);
    const root = await insertTestTree(t.db, { userId: author.id, state });
    await t.db.update(messages).set({ emojis: { red_flag: 10, _skip_reply: 50 } }).where(eq(messages.id, root.id));
    expect(await applyAutoModeration(t.db, root.id, testTreeDeps())).toEqual([]);
    expect((await readTestTreeState(t.db, root.id))!.state).toBe(state);
  });

  it("does nothing when auto-moderation is turned off", async () => {
    const author = await createTestUser(t.db);
    const root = await insertTestTree(t.db, { userId: author.id, state: "initial_prompt_review", reviewResult: null, reviewCount: 0 });
    await t.db.update(messages).set({ emojis: { red_flag: 10 } }).where(eq(messages.id, root.id));
    expect(await applyAutoModeration(t.db, root.id, testTreeDeps({ autoModEnabled: false }))).toEqual([]);
    expect(await applyAutoModeration(t.db, root.id, testTreeDeps())).toEqual(["tree_aborted"]);
    expect((await readTestTreeState(t.db, root.id))!.state).toBe("aborted_low_grade");
  });

  it("deletes an eligible reply with its subtree and keeps the tree growing", async () => {
    const author = await createTestUser(t.db);
    const root = await insertTestTree(t.db, { userId: author.id });
    const reply = await insertTestMessage(t.db, { userId: author.id, parent: root });
    await t.db.update(messages).set({ emojis: { red_flag: 4 } }).where(eq(messages.id, reply.id));
    expect(await t.db.transaction((tx) => applyAutoModeration(tx, reply.id, testTreeDeps()))).toEqual(["subtree_deleted"]);
    expect((await readTestMessage(t.db, reply.id))!.deleted).toBe(true);
    expect((await readTestTreeState(t.db, root.id))!.state).toBe("growing");
  });
});
