import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messages } from "@/server/db/schema";
import { insertTestMessage, insertTestTree, type TestMessage } from "@/server/domain/messages/test-fixtures";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();

type Users = Record<"alice" | "bob" | "carol" | "mod", { id: string }>;
let people: Users;
/** root (alice) → a1 (bob, accepted) → p1 (alice) ; root → a2 (carol, spam) → p2 (bob) ; root → a3 (bob, deleted) */
let tree: Record<"root" | "a1" | "a2" | "a3" | "p1" | "p2", TestMessage>;

beforeAll(async () => {
  people = {
    alice: await createTestUser(t.db, { name: "Alice", email: "alice@secret.example", notes: "moderator note" }),
    bob: await createTestUser(t.db, { name: "Bob" }),
    carol: await createTestUser(t.db, { name: null, email: "carol@secret.example" }),
    mod: await createTestUser(t.db, { name: "Mo", role: "moderator" }),
  };
  const root = await insertTestTree(t.db, { userId: people.alice.id, lang: "de" });
  const a1 = await insertTestMessage(t.db, { userId: people.bob.id, parent: root });
  const a2 = await insertTestMessage(t.db, { userId: people.carol.id, parent: root, reviewResult: false });
  const a3 = await insertTestMessage(t.db, { userId: people.bob.id, parent: root, deleted: true, reviewResult: null, reviewCount: 0 });
  const p1 = await insertTestMessage(t.db, { userId: people.alice.id, parent: a1 });
  const p2 = await insertTestMessage(t.db, { userId: people.bob.id, parent: a2 });
  tree = { root, a1, a2, a3, p1, p2 };
});

const as = (who: keyof Users) => callerFor(t.db, people[who].id);

describe("messages.get", () => {
  it("returns the message with the author's display name only, and the caller's relation to it", async () => {
    const message = await as("bob").messages.get({ messageId: tree.root.id });
    expect(message).toMatchObject({
      id: tree.root.id,
      parentId: null,
      messageTreeId: tree.root.id,
      role: "prompter",
      lang: "de",
      authorName: "Alice",
      authorId: null,
      userIsAuthor: false,
      userEmojis: [],
    });
    expect(JSON.stringify(message)).not.toMatch(/secret\.example|moderator note|frontend|taskId|apiClient/);
  });

  it("never derives a name from another user's email", async () => {
    const message = await as("bob").messages.get({ messageId: tree.a2.id });
    expect(message.authorName).toMatch(/^user-[0-9a-f]{8}$/);
  });

  it("tells the author it is theirs and shows moderators the author id", async () => {
    expect(await as("alice").messages.get({ messageId: tree.root.id })).toMatchObject({ userIsAuthor: true, authorId: people.alice.id });
    expect(await as("mod").messages.get({ messageId: tree.root.id })).toMatchObject({ userIsAuthor: false, authorId: people.alice.id });
  });

  it("hides a deleted message from contributors but not from moderators", async () => {
    await expectAppError(as("bob").messages.get({ messageId: tree.a3.id }), { code: "NOT_FOUND", appCode: "MESSAGE_NOT_FOUND", oaCode: 2001 });
    expect(await as("mod").messages.get({ messageId: tree.a3.id })).toMatchObject({ deleted: true });
  });

  it("answers an unknown id with NOT_FOUND 2001 and a malformed id with BAD_REQUEST", async () => {
    await expectAppError(as("bob").messages.get({ messageId: crypto.randomUUID() }), { code: "NOT_FOUND", oaCode: 2001 });
    await expectAppError(as("bob").messages.get({ messageId: "not-a-uuid" }), { code: "BAD_REQUEST" });
  });

  it("needs a signed-in contributor who accepted the terms", async () => {
    await expectAppError(callerFor(t.db, null).messages.get({ messageId: tree.root.id }), { code: "UNAUTHORIZED" });
    const newcomer = await createTestUser(t.db, { tosAcceptanceDate: null });
    await expectAppError(callerFor(t.db, newcomer.id).messages.get({ messageId: tree.root.id }), { code: "FORBIDDEN", appCode: "TOS_NOT_ACCEPTED" });
  });
});

describe("messages.conversation", () => {
  it("lists root → message in order", async () => {
    const { messages } = await as("carol").messages.conversation({ messageId: tree.p1.id });
    expect(messages.map((message) => message.id)).toEqual([tree.root.id, tree.a1.id, tree.p1.id]);
    expect(messages.map((message) => message.depth)).toEqual([0, 1, 2]);
  });

  it("is NOT_FOUND for an unknown message", async () => {
    await expectAppError(as("carol").messages.conversation({ messageId: crypto.randomUUID() }), { code: "NOT_FOUND", oaCode: 2001 });
  });
});

describe("messages.tree", () => {
  it("leaves deleted and spam messages, and what hangs below them, out for contributors", async () => {
    const { messageTreeId, messages } = await as("bob").messages.tree({ messageId: tree.p1.id });
    expect(messageTreeId).toBe(tree.root.id);
    expect(messages.map((message) => message.id)).toEqual([tree.root.id, tree.a1.id, tree.p1.id]);
  });

  it("shows moderators everything, flagged as deleted or spam", async () => {
    const { messages } = await as("mod").messages.tree({ messageId: tree.root.id });
    expect(messages).toHaveLength(6);
    expect(messages.find((message) => message.id === tree.a3.id)).toMatchObject({ deleted: true });
    expect(messages.find((message) => message.id === tree.a2.id)).toMatchObject({ reviewResult: false });
    // Parents always come before their children.
    const seen = new Set<string>();
    for (const message of messages) {
      if (message.parentId) expect(seen.has(message.parentId)).toBe(true);
      seen.add(message.id);
    }
  });

  it("orders siblings by rank, unranked last", async () => {
    const owner = await createTestUser(t.db);
    const root = await insertTestTree(t.db, { userId: owner.id });
    const unranked = await insertTestMessage(t.db, { userId: people.bob.id, parent: root });
    const second = await insertTestMessage(t.db, { userId: people.carol.id, parent: root });
    const first = await insertTestMessage(t.db, { userId: people.alice.id, parent: root });
    await t.db.update(messages).set({ rank: 1 }).where(eq(messages.id, second.id));
    await t.db.update(messages).set({ rank: 0 }).where(eq(messages.id, first.id));
    const listed = (await as("bob").messages.tree({ messageId: root.id })).messages;
    expect(listed.map((message) => message.id)).toEqual([root.id, first.id, second.id, unranked.id]);
    expect(listed.map((message) => message.rank)).toEqual([null, 0, 1, null]);
  });
});

describe("messages.children", () => {
  it("lists the live, non-spam children for contributors and all children for moderators", async () => {
    const forBob = await as("bob").messages.children({ messageId: tree.root.id });
    expect(forBob.messages.map((message) => message.id)).toEqual([tree.a1.id]);
    const forMod = await as("mod").messages.children({ messageId: tree.root.id });
    expect(forMod.messages.map((message) => message.id).sort()).toEqual([tree.a1.id, tree.a2.id, tree.a3.id].sort());
  });
});

describe("messages.treeState", () => {
  it("returns the state of the message's tree", async () => {
    const state = await as("bob").messages.treeState({ messageId: tree.p1.id });
    expect(state).toMatchObject({ messageTreeId: tree.root.id, state: "growing", active: true, lang: "de", goalTreeSize: 12 });
  });

  it("is NOT_FOUND with 2006 for a message whose tree has no state", async () => {
    const loose = await insertTestMessage(t.db, { userId: people.bob.id });
    await expectAppError(as("bob").messages.treeState({ messageId: loose.id }), { code: "NOT_FOUND", appCode: "NO_MESSAGE_TREE_FOUND", oaCode: 2006 });
  });
});

describe("messages.mine and messages.recent", () => {
  it("page through the caller's own messages newest first without gaps or repeats", async () => {
    const writer = await createTestUser(t.db, { name: "Writer" });
    const root = await insertTestTree(t.db, { userId: writer.id, lang: "fr" });
    // Several messages in the same millisecond: the cursor must keep the database's microseconds.
    const sameInstant = new Date();
    const written = [root];
    for (let i = 0; i < 6; i++) written.push(await insertTestMessage(t.db, { userId: writer.id, parent: written[i]!, createdDate: sameInstant }));
    const caller = callerFor(t.db, writer.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await caller.messages.mine({ limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((message) => message.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(written.map((message) => message.id)));
    expect((await caller.messages.mine()).items).toHaveLength(7);
  });

  it("list recent messages of one language without deleted or spam messages", async () => {
    const page = await as("carol").messages.recent({ lang: "de" });
    const ids = page.items.map((message) => message.id);
    expect(ids).toEqual(expect.arrayContaining([tree.root.id, tree.a1.id, tree.p1.id, tree.p2.id]));
    expect(ids).not.toContain(tree.a2.id);
    expect(ids).not.toContain(tree.a3.id);
    expect(page.items.every((message) => message.lang === "de")).toBe(true);
    const dates = page.items.map((message) => message.createdDate.getTime());
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it("show authors their own rejected messages, but never deleted ones", async () => {
    expect((await as("carol").messages.mine()).items.map((message) => message.id)).toContain(tree.a2.id);
    const bobs = (await as("bob").messages.mine()).items.map((message) => message.id);
    expect(bobs).toEqual(expect.arrayContaining([tree.a1.id, tree.p2.id]));
    expect(bobs).not.toContain(tree.a3.id);
  });

  it("refuse a limit over 100 and a forged cursor", async () => {
    await expectAppError(as("bob").messages.recent({ lang: "de", limit: 101 }), { code: "BAD_REQUEST" });
    await expectAppError(as("bob").messages.recent({ lang: "de", cursor: "garbage" }), { code: "BAD_REQUEST", appCode: "INVALID_CURSOR_VALUE", oaCode: 101 });
  });
});
