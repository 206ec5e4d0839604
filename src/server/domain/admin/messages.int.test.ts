import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messageToxicity, messages } from "@/server/db/schema";
import { insertTestMessage, insertTestTree } from "@/server/domain/messages/test-fixtures";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser } from "@/test/factories";
import { expectAppError } from "@/test/trpc-errors";

const t = setupTestDatabase();

describe("admin.messages search (full-text and trigram, on either database)", () => {
  it("finds words, phrases and substrings, and filters by language, role, deleted, flagged, toxic and author", async () => {
    const moderator = await createTestUser(t.db, { role: "moderator" });
    const author = await createTestUser(t.db);
    const other = await createTestUser(t.db);
    const root = await insertTestTree(t.db, { userId: author.id, lang: "xx" });
    await t.db.update(messages).set({ text: "How do I water a basil plant on my windowsill?" }).where(eq(messages.id, root.id));
    const reply = await insertTestMessage(t.db, { userId: other.id, parent: root, text: "Water the basil when the soil feels dry; see https://plants.example/basil-care" });
    const deleted = await insertTestMessage(t.db, { userId: author.id, parent: reply, text: "Thanks, the basil survived!" });
    await t.db.update(messages).set({ deleted: true }).where(eq(messages.id, deleted.id));
    await t.db.insert(messageToxicity).values({ messageId: reply.id, model: "m", label: "toxic", score: 0.95 });
    const search = (input: object) => callerFor(t.db, moderator.id).admin.messages({ lang: "xx", ...input }).then((page) => page.items.map((m) => m.id));

    expect(await search({})).toEqual([deleted.id, reply.id, root.id]);
    expect(await search({ q: "BASIL" })).toEqual([deleted.id, reply.id, root.id]);
    expect(await search({ q: "\"basil plant\"" })).toEqual([root.id]);
    expect(await search({ q: "basil -water" })).toEqual([deleted.id]);
    // Part of a word or of a URL: trigram substring search, case-insensitive, with LIKE wildcards taken literally.
    expect(await search({ q: "ndowsil", mode: "substring" })).toEqual([root.id]);
    expect(await search({ q: "EXAMPLE/BASIL-C", mode: "substring" })).toEqual([reply.id]);
    expect(await search({ q: "%", mode: "substring" })).toEqual([]);
    expect(await search({ role: "assistant" })).toEqual([reply.id]);
    expect(await search({ deleted: "only" })).toEqual([deleted.id]);
    expect(await search({ deleted: "none" })).toEqual([reply.id, root.id]);
    expect(await search({ toxic: "only" })).toEqual([reply.id]);
    expect(await search({ userId: author.id })).toEqual([deleted.id, root.id]);
    const first = await callerFor(t.db, moderator.id).admin.messages({ lang: "xx", limit: 2 });
    const second = await callerFor(t.db, moderator.id).admin.messages({ lang: "xx", limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((m) => m.id)).toEqual([deleted.id, reply.id, root.id]);
  });

  it("opens a deleted message on the console's message page, for staff who never accepted the contributor terms", async () => {
    const moderator = await createTestUser(t.db, { role: "moderator", tosAcceptanceDate: null });
    const author = await createTestUser(t.db);
    const root = await insertTestTree(t.db, { userId: author.id, lang: "xy" });
    await t.db.update(messages).set({ deleted: true }).where(eq(messages.id, root.id));
    const detail = await callerFor(t.db, moderator.id).admin.messageDetail({ messageId: root.id });
    expect(detail.message).toMatchObject({ id: root.id, deleted: true });
    await expectAppError(callerFor(t.db, moderator.id).admin.messageDetail({ messageId: crypto.randomUUID() }), { code: "NOT_FOUND", appCode: "MESSAGE_NOT_FOUND" });
  });
});
