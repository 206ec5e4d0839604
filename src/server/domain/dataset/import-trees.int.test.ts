import { count, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messageEmojis, messages, messageTreeStates, users } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { importOasstTrees } from "./import-trees";
import { idOf, linesOf, msg, tree } from "./test-trees";

const t = setupTestDatabase();

async function messageCount(ids?: string[]): Promise<number> {
  const [row] = await t.db.select({ n: count() }).from(messages).where(ids ? inArray(messages.id, ids) : undefined);
  return row?.n ?? 0;
}

describe("importOasstTrees", () => {
  it("reports bad lines by number with the reason, imports the rest, and half-imports nothing", async () => {
    const good = tree(msg("good", "prompter", {}, [msg("good-a", "assistant", { rank: 0 })]));
    const clash = tree(msg("clash", "prompter", {}, [msg("clash-a", "assistant"), msg("good-a", "assistant")]));
    const report = await importOasstTrees(
      t.db,
      linesOf(
        good,
        "{not json",
        tree(msg("robot", "prompter", {}, [{ ...msg("robot-a", "assistant"), role: "robot" as "assistant" }])),
        tree(msg("no-id", "prompter", {}, [{ ...msg("no-id-a", "assistant"), message_id: undefined as unknown as string }])),
        { ...msg("orphan", "assistant"), parent_id: idOf("nowhere") },
        tree(msg("dup", "prompter", {}, [msg("dup-a", "assistant"), msg("dup-a", "assistant")])),
        clash,
        "",
        "[1, 2]",
        tree(msg("bad-state", "prompter"), { tree_state: "blooming" }),
        { ...good, message_tree_id: idOf("elsewhere") },
        { ...msg("reply", "prompter", {}, [msg("reply-a", "assistant")]), parent_id: idOf("good-a") },
        { ...msg("loop", "prompter", {}, [msg("loop-a", "assistant")]), parent_id: idOf("loop-a") },
      ),
      { origin: "bad.jsonl" },
    );
    expect(report.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 9, 10, 11, 13]);
    const reasons = Object.fromEntries(report.errors.map((e) => [e.line, e.reason]));
    expect(reasons[2]).toMatch(/^invalid JSON/);
    expect(reasons[3]).toMatch(/^prompt\.replies\.0\.role: /);
    expect(reasons[4]).toMatch(/^prompt\.replies\.0\.message_id: /);
    expect(reasons[5]).toBe(`parent ${idOf("nowhere")} of message ${idOf("orphan")} does not exist`);
    expect(reasons[6]).toMatch(/appears twice \(a cycle or a duplicate\)/);
    expect(reasons[7]).toBe(`message ${idOf("good-a")} already exists in tree ${idOf("good")}`);
    expect(reasons[9]).toBe("not a JSON object");
    expect(reasons[10]).toBe('unknown tree_state "blooming"');
    expect(reasons[11]).toMatch(/differs from the prompt's message_id/);
    expect(reasons[13]).toMatch(/one of its own replies \(a cycle\)/);
    expect(report).toMatchObject({ treesImported: 1, messagesImported: 4, errorCount: 10, linesRead: 13 });
    // The clashing tree's other messages were not written either.
    expect(await messageCount([idOf("clash"), idOf("clash-a")])).toBe(0);
    // The reply line hangs below the existing assistant message, one level deeper, in its tree.
    const [reply] = await t.db.select().from(messages).where(eq(messages.id, idOf("reply")));
    expect(reply).toMatchObject({ parentId: idOf("good-a"), messageTreeId: idOf("good"), depth: 2, childrenCount: 1 });
    const [parent] = await t.db.select().from(messages).where(eq(messages.id, idOf("good-a")));
    expect(parent?.childrenCount).toBe(1);
  });

  it("keeps what the file says: state, ranks, emojis, review results, dates, known authors and their emojis", async () => {
    const [author] = await t.db.insert(users).values({ name: "Author" }).returning();
    if (!author) throw new Error("no user");
    const stranger = idOf("stranger");
    const prompt = msg("kept", "prompter", { user_id: author.id, created_date: "2023-02-05T14:23:50.983374+00:00", lang: "de" }, [
      msg("kept-a", "assistant", {
        user_id: stranger,
        rank: 1,
        review_result: false,
        review_count: 4,
        deleted: true,
        synthetic: true,
        model_name: "m1",
        emojis: { "+1": 2, _skip_reply: 1 },
        events: { emoji: [{ type: "emoji", user_id: author.id, emoji: "+1" }, { type: "emoji", user_id: stranger, emoji: "+1" }] },
      }),
    ]);
    const report = await importOasstTrees(t.db, linesOf(tree(prompt, { tree_state: "growing", origin: "elsewhere" })), { origin: "x" });
    expect(report).toMatchObject({ treesImported: 1, messagesImported: 2, errorCount: 0 });
    const [state] = await t.db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, idOf("kept")));
    expect(state).toMatchObject({ state: "growing", active: true, origin: "elsewhere", lang: "de" });
    const [root] = await t.db
      .select({ userId: messages.userId, date: sql<string>`to_char(${messages.createdDate} at time zone 'UTC', 'SS.US')`, childrenCount: messages.childrenCount })
      .from(messages)
      .where(eq(messages.id, idOf("kept")));
    expect(root).toEqual({ userId: author.id, date: "50.983374", childrenCount: 0 });
    const [reply] = await t.db.select().from(messages).where(eq(messages.id, idOf("kept-a")));
    expect(reply).toMatchObject({
      userId: null,
      lang: "de",
      rank: 1,
      reviewResult: false,
      reviewCount: 4,
      deleted: true,
      synthetic: true,
      modelName: "m1",
      emojis: { "+1": 2, _skip_reply: 1 },
    });
    const emojis = await t.db.select().from(messageEmojis).where(eq(messageEmojis.messageId, idOf("kept-a")));
    expect(emojis.map((e) => [e.userId, e.emoji])).toEqual([[author.id, "+1"]]);
  });

  it("puts trees without a state into ranking up to --num-activate, the rest into the backlog", async () => {
    const names = ["act-1", "act-2", "act-3"];
    const report = await importOasstTrees(
      t.db,
      linesOf(...names.map((name) => tree(msg(name, "prompter"), { tree_state: undefined }))),
      { origin: "o", numActivate: 2 },
    );
    expect(report.treesImported).toBe(3);
    const states = await t.db
      .select({ id: messageTreeStates.messageTreeId, state: messageTreeStates.state, active: messageTreeStates.active })
      .from(messageTreeStates)
      .where(inArray(messageTreeStates.messageTreeId, names.map(idOf)));
    const byId = new Map(states.map((s) => [s.id, s]));
    expect(names.map((name) => byId.get(idOf(name)))).toMatchObject([
      { state: "ranking", active: true },
      { state: "ranking", active: true },
      { state: "backlog_ranking", active: false },
    ]);
  });

  it("treats a message line without a parent like a tree without a state: backlog, never growing (issue 14)", async () => {
    await importOasstTrees(
      t.db,
      linesOf(
        { ...msg("lone", "prompter"), replies: undefined },
        msg("with-reply", "prompter", {}, [msg("with-reply-a", "assistant")]),
        msg("active-one", "prompter", {}, [msg("active-one-a", "assistant")]),
        { ...msg("stated", "prompter"), tree_state: "growing" },
      ),
      { origin: "o", numActivate: 0 },
    );
    const states = await t.db
      .select({ id: messageTreeStates.messageTreeId, state: messageTreeStates.state, active: messageTreeStates.active })
      .from(messageTreeStates)
      .where(inArray(messageTreeStates.messageTreeId, ["lone", "with-reply", "active-one", "stated"].map(idOf)));
    expect(new Map(states.map((s) => [s.id, [s.state, s.active]]))).toEqual(
      new Map([
        [idOf("lone"), ["backlog_ranking", false]],
        [idOf("with-reply"), ["backlog_ranking", false]],
        [idOf("active-one"), ["backlog_ranking", false]],
        // A state the line names is kept.
        [idOf("stated"), ["growing", true]],
      ]),
    );
  });

  it("replays a batch line by line when a write hits a conflict the checks could not see; only that line is lost", async () => {
    // A message of the import client already uses the frontend id of `hidden-a` (a unique index the batch's
    // lookups by message id do not cover).
    await importOasstTrees(t.db, linesOf(tree(msg("holder", "prompter"))), { origin: "o" });
    await t.db.update(messages).set({ frontendMessageId: idOf("hidden-a") }).where(eq(messages.id, idOf("holder")));
    const report = await importOasstTrees(
      t.db,
      linesOf(
        tree(msg("before", "prompter", {}, [msg("before-a", "assistant")])),
        tree(msg("hidden", "prompter", {}, [msg("hidden-a", "assistant")])),
        tree(msg("after", "prompter"), { tree_state: undefined }),
      ),
      { origin: "o", numActivate: 1 },
    );
    expect(report).toMatchObject({ treesImported: 2, messagesImported: 3, errorCount: 1 });
    expect(report.errors).toEqual([{ line: 2, reason: "conflicts with existing data (messages_frontend_id_uq)" }]);
    expect(await messageCount([idOf("hidden"), idOf("hidden-a")])).toBe(0);
    expect(await messageCount([idOf("before"), idOf("before-a"), idOf("after")])).toBe(3);
    // The replay decides states as the batch would have: the one tree without a state is activated.
    const [after] = await t.db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, idOf("after")));
    expect(after?.state).toBe("ranking");
  });

  it("imports every line exactly once when two imports of the same file race", async () => {
    const lines = Array.from({ length: 60 }, (_, i) => tree(msg(`race-${i}`, "prompter", {}, [msg(`race-${i}-a`, "assistant")])));
    const [a, b] = await Promise.all([
      importOasstTrees(t.db, linesOf(...lines), { origin: "race" }),
      importOasstTrees(t.db, linesOf(...lines), { origin: "race" }),
    ]);
    expect(a!.errorCount + b!.errorCount).toBe(0);
    expect(a!.treesImported + b!.treesImported).toBe(60);
    expect(a!.treesSkipped + b!.treesSkipped).toBe(60);
    expect(await messageCount(lines.flatMap((_, i) => [idOf(`race-${i}`), idOf(`race-${i}-a`)]))).toBe(120);
  });

  it("writes any text unchanged through the bulk insert's array literals", async () => {
    const texts = ['say "hi"', "back\\slash \\\"", "NULL", "{a,b}", "comma, and\nnewline\ttab", "emoji 🦜 and 中文", " padded "];
    await importOasstTrees(t.db, linesOf(tree(msg("texts", "prompter", {}, texts.map((text, i) => ({ ...msg(`texts-${i}`, "assistant"), text }))))), {
      origin: "o",
    });
    const rows = await t.db.select({ id: messages.id, text: messages.text }).from(messages).where(eq(messages.messageTreeId, idOf("texts")));
    const byId = new Map(rows.map((row) => [row.id, row.text]));
    expect(texts.map((_, i) => byId.get(idOf(`texts-${i}`)))).toEqual(texts);
  });

  it("rolls everything back on a dry run but reports what would happen", async () => {
    const before = await messageCount();
    const report = await importOasstTrees(
      t.db,
      linesOf(tree(msg("dry", "prompter", {}, [msg("dry-a", "assistant")])), { ...msg("dry-b", "prompter"), parent_id: idOf("dry-a") }, "{"),
      { origin: "o", dryRun: true },
    );
    expect(report).toMatchObject({ dryRun: true, treesImported: 1, messagesImported: 3, errorCount: 1 });
    expect(await messageCount()).toBe(before);
  });
});
