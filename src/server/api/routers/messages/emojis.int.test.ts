import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { flaggedMessages, messageEmojis, messages } from "@/server/db/schema";
import { insertTestMessage, insertTestTree, readTestMessage, readTestTreeState } from "@/server/domain/messages/test-fixtures";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();

async function emojiRows(messageId: string) {
  return t.db.select().from(messageEmojis).where(eq(messageEmojis.messageId, messageId));
}

async function setup() {
  const author = await createTestUser(t.db, { name: "Author" });
  const fan = await createTestUser(t.db, { name: "Fan" });
  const root = await insertTestTree(t.db, { userId: author.id });
  return { author, fan, root, fanCaller: callerFor(t.db, fan.id), authorCaller: callerFor(t.db, author.id) };
}

describe("messages.setEmoji", () => {
  it("toggles a reaction on and off, keeping the count and the caller's emojis in step", async () => {
    const { root, fanCaller } = await setup();
    const on = await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "heart_eyes" });
    expect(on.emojis).toEqual({ heart_eyes: 1 });
    expect(on.userEmojis).toEqual(["heart_eyes"]);
    const off = await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "heart_eyes", op: "toggle" });
    expect(off.emojis).toEqual({});
    expect(off.userEmojis).toEqual([]);
    expect((await readTestMessage(t.db, root.id))!.emojis).toEqual({});
  });

  it("treats add on a present and remove on a missing emoji as no-ops", async () => {
    const { root, fanCaller } = await setup();
    await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "clap", op: "add" });
    expect((await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "clap", op: "add" })).emojis).toEqual({ clap: 1 });
    await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "clap", op: "remove" });
    expect((await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "clap", op: "remove" })).emojis).toEqual({});
    expect(await emojiRows(root.id)).toHaveLength(0);
  });

  it("lets +1 replace the caller's -1 and the other way round", async () => {
    const { root, fanCaller } = await setup();
    await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "-1", op: "add" });
    const up = await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "+1", op: "add" });
    expect(up.emojis).toEqual({ "+1": 1 });
    expect(up.userEmojis).toEqual(["+1"]);
    const down = await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "-1" });
    expect(down.emojis).toEqual({ "-1": 1 });
    expect((await emojiRows(root.id)).map((row) => row.emoji)).toEqual(["-1"]);
  });

  it("ignores votes on one's own message but allows other reactions", async () => {
    const { root, authorCaller } = await setup();
    expect((await authorCaller.messages.setEmoji({ messageId: root.id, emoji: "+1" })).emojis).toEqual({});
    expect((await authorCaller.messages.setEmoji({ messageId: root.id, emoji: "-1", op: "add" })).emojis).toEqual({});
    expect((await authorCaller.messages.setEmoji({ messageId: root.id, emoji: "100" })).emojis).toEqual({ "100": 1 });
  });

  it("refuses system and unknown codes with EMOJI_OP_UNSUPPORTED (5000) and writes nothing", async () => {
    const { root, fanCaller } = await setup();
    for (const emoji of ["_skip_reply", "_skip_labeling", "thumbs_sideways"]) {
      await expectAppError(fanCaller.messages.setEmoji({ messageId: root.id, emoji }), { code: "BAD_REQUEST", appCode: "EMOJI_OP_UNSUPPORTED", oaCode: 5000 });
    }
    await expectAppError(fanCaller.messages.setEmoji({ messageId: root.id, emoji: "+1", op: "flip" as "add" }), { code: "BAD_REQUEST" });
    expect(await emojiRows(root.id)).toHaveLength(0);
  });

  it("is NOT_FOUND for an unknown or deleted message", async () => {
    const { root, author, fanCaller } = await setup();
    await expectAppError(fanCaller.messages.setEmoji({ messageId: crypto.randomUUID(), emoji: "+1" }), { code: "NOT_FOUND", oaCode: 2001 });
    const gone = await insertTestMessage(t.db, { userId: author.id, parent: root, deleted: true });
    await expectAppError(fanCaller.messages.setEmoji({ messageId: gone.id, emoji: "+1" }), { code: "NOT_FOUND", oaCode: 2001 });
  });

  it("hides the system counts from contributors and shows them to moderators", async () => {
    const { root, fan, fanCaller } = await setup();
    await t.db.update(messages).set({ emojis: { _skip_reply: 2 } }).where(eq(messages.id, root.id));
    await t.db.insert(messageEmojis).values({ messageId: root.id, userId: fan.id, emoji: "_skip_reply" });
    const seen = await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "rofl" });
    expect(seen.emojis).toEqual({ rofl: 1 });
    expect(seen.userEmojis).toEqual(["rofl"]);
    const moderator = await createTestUser(t.db, { role: "moderator" });
    expect((await callerFor(t.db, moderator.id).messages.get({ messageId: root.id })).emojis).toEqual({ _skip_reply: 2, rofl: 1 });
  });

  it("queues a red-flagged message for moderators, again after it was processed", async () => {
    const { root, fanCaller } = await setup();
    await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "red_flag" });
    const [queued] = await t.db.select().from(flaggedMessages).where(eq(flaggedMessages.messageId, root.id));
    expect(queued).toMatchObject({ processed: false });
    await t.db.update(flaggedMessages).set({ processed: true }).where(eq(flaggedMessages.messageId, root.id));
    await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "red_flag" }); // toggled off: stays processed
    expect((await t.db.select().from(flaggedMessages).where(eq(flaggedMessages.messageId, root.id)))[0]!.processed).toBe(true);
    await fanCaller.messages.setEmoji({ messageId: root.id, emoji: "red_flag" });
    expect((await t.db.select().from(flaggedMessages).where(eq(flaggedMessages.messageId, root.id)))[0]!.processed).toBe(false);
  });
});

describe("concurrent reactions", () => {
  it("keep the counts equal to the rows when many users toggle at once", async () => {
    const { root } = await setup();
    const voters = await Promise.all(Array.from({ length: 16 }, (_, i) => createTestUser(t.db, { name: `Voter ${i}` })));
    // Every voter toggles +1 three times and clap once, and flips to -1: all at the same moment.
    await Promise.all(
      voters.flatMap((voter) => {
        const caller = callerFor(t.db, voter.id);
        return [
          caller.messages.setEmoji({ messageId: root.id, emoji: "+1" }),
          caller.messages.setEmoji({ messageId: root.id, emoji: "clap", op: "add" }),
          caller.messages.setEmoji({ messageId: root.id, emoji: "heart_eyes" }),
          caller.messages.setEmoji({ messageId: root.id, emoji: "+1" }),
          caller.messages.setEmoji({ messageId: root.id, emoji: "-1", op: "add" }),
        ];
      }),
    );
    const rows = await t.db
      .select({ emoji: messageEmojis.emoji, n: sql<number>`count(*)::int` })
      .from(messageEmojis)
      .where(eq(messageEmojis.messageId, root.id))
      .groupBy(messageEmojis.emoji);
    const fromRows = Object.fromEntries(rows.map((row) => [row.emoji, row.n]));
    expect((await readTestMessage(t.db, root.id))!.emojis).toEqual(fromRows);
    expect(fromRows.clap).toBe(16);
    expect(fromRows.heart_eyes).toBe(16);
    // +1 and -1 are exclusive per voter, whatever order the toggles ran in.
    const voteRows = await t.db
      .select({ userId: messageEmojis.userId, n: sql<number>`count(*)::int` })
      .from(messageEmojis)
      .where(and(eq(messageEmojis.messageId, root.id), sql`${messageEmojis.emoji} in ('+1', '-1')`))
      .groupBy(messageEmojis.userId);
    expect(voteRows.every((row) => row.n <= 1)).toBe(true);
  });
});

describe("auto-moderation through red flags", () => {
  it("aborts a tree whose prompt collects autoModRedFlags red flags", async () => {
    const { root } = await setup();
    const flaggers = await Promise.all(Array.from({ length: 4 }, () => createTestUser(t.db)));
    for (const [i, flagger] of flaggers.entries()) {
      await callerFor(t.db, flagger.id).messages.setEmoji({ messageId: root.id, emoji: "red_flag" });
      expect((await readTestTreeState(t.db, root.id))!.state).toBe(i < 3 ? "growing" : "aborted_low_grade");
    }
    expect((await readTestTreeState(t.db, root.id))!.active).toBe(false);
  });

  it("soft-deletes a reply and its subtree, and fixes the parent's children count", async () => {
    const { root, author } = await setup();
    const reply = await insertTestMessage(t.db, { userId: author.id, parent: root, reviewResult: null, reviewCount: 1 });
    const below = await insertTestMessage(t.db, { userId: author.id, parent: reply });
    const flaggers = await Promise.all(Array.from({ length: 4 }, () => createTestUser(t.db)));
    await Promise.all(flaggers.map((flagger) => callerFor(t.db, flagger.id).messages.setEmoji({ messageId: reply.id, emoji: "red_flag" })));
    expect((await readTestMessage(t.db, reply.id))!.deleted).toBe(true);
    expect((await readTestMessage(t.db, below.id))!.deleted).toBe(true);
    expect((await readTestMessage(t.db, root.id))!).toMatchObject({ deleted: false, childrenCount: 0 });
    expect((await readTestTreeState(t.db, root.id))!.state).toBe("growing");
  });

  it("leaves a reply that was rejected after its reviews alone", async () => {
    const { root, author } = await setup();
    const rejected = await insertTestMessage(t.db, { userId: author.id, parent: root, reviewResult: false, reviewCount: 3 });
    const flaggers = await Promise.all(Array.from({ length: 4 }, () => createTestUser(t.db)));
    for (const flagger of flaggers) await callerFor(t.db, flagger.id).messages.setEmoji({ messageId: rejected.id, emoji: "red_flag" });
    expect((await readTestMessage(t.db, rejected.id))!.deleted).toBe(false);
  });
});
