import { beforeAll, describe, expect, it } from "vitest";
import { messageEmojis, messageReactions, tasks, textLabels, users } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { setupTestDatabase } from "@/test/database";
import { exportMessages } from "./export-messages";
import { type ExportFilters } from "./export-filters";
import { exportTrees } from "./export-trees";
import { importOasstTrees } from "./import-trees";
import { type ExportMessageNode, type ExportMessageTree } from "./oasst-schema";
import { collect, idOf, linesOf, msg, parseLines, tree } from "./test-trees";

const t = setupTestDatabase();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EVERYTHING: ExportFilters = { states: "all", spam: "include", deleted: "include", synthetic: "include" };
let u1 = "";
let u2 = "";

const at = (date: string, n = 0) => `${date}T10:00:00.${String(n).padStart(6, "0")}+00:00`;

async function trees(filters: ExportFilters = {}): Promise<ExportMessageTree[]> {
  return parseLines<ExportMessageTree>(await collect(exportTrees(t.db, filters)));
}
async function flat(filters: ExportFilters): Promise<string[]> {
  return parseLines<ExportMessageNode>(await collect(exportMessages(t.db, filters))).map((node) => node.text);
}
const texts = (nodes: ExportMessageNode[] | null | undefined) => (nodes ?? []).map((node) => node.text);

beforeAll(async () => {
  const inserted = await t.db.insert(users).values([{ name: "U1" }, { name: "U2" }]).returning({ id: users.id });
  [u1, u2] = inserted.map((row) => row.id) as [string, string];
  const d1 = "2023-01-10";
  const report = await importOasstTrees(
    t.db,
    linesOf(
      tree(
        msg("t1", "prompter", { user_id: u1, created_date: at(d1) }, [
          msg("a1", "assistant", { rank: 0, user_id: u2, created_date: at(d1, 1) }, [
            msg("p1", "prompter", { user_id: u1, created_date: at(d1, 2) }, [msg("a5", "assistant", { created_date: at(d1, 3) })]),
          ]),
          msg("a2", "assistant", { rank: 1, review_result: false, created_date: at(d1, 4) }),
          msg("a3", "assistant", { deleted: true, created_date: at(d1, 5) }),
          msg("a4", "assistant", { review_result: false, review_count: 1, created_date: at(d1, 6) }),
        ]),
      ),
      tree(msg("t2", "prompter", { lang: "de", user_id: u2, created_date: at("2023-03-01") }, [msg("b1", "assistant", { lang: "de" })])),
      tree(msg("t3", "prompter", { created_date: at(d1) }), { tree_state: "growing" }),
      tree(msg("t4", "prompter", { created_date: at(d1) }, [msg("s1", "assistant", { synthetic: true, model_name: "m" })])),
      tree(msg("t5", "prompter", { review_result: false, created_date: at(d1) })),
    ),
    { origin: "filters" },
  );
  expect(report.errorCount).toBe(0);
  await t.db.insert(textLabels).values([
    { userId: u1, messageId: idOf("a1"), labels: { spam: 0, quality: 0.5 } },
    { userId: u2, messageId: idOf("a1"), labels: { quality: 1 } },
  ]);
  await t.db.insert(messageEmojis).values({ messageId: idOf("t1"), userId: u2, emoji: "+1" });
  const [task] = await t.db.insert(tasks).values({ type: "rank_assistant_replies", payload: {}, userId: u2 }).returning();
  await t.db.insert(messageReactions).values({
    taskId: task!.id,
    userId: u2,
    messageId: idOf("t1"),
    payload: { type: "message_ranking", rankedMessageIds: [idOf("a1"), idOf("a2")], rankingParentId: idOf("t1"), messageTreeId: idOf("t1"), notRankable: false },
  });
});

describe("export filters", () => {
  it("defaults to ready trees of accepted, live, human messages", async () => {
    const result = await trees();
    expect(result.map((tr) => tr.prompt?.text).sort()).toEqual(["t1", "t2"]);
    const t1 = result.find((tr) => tr.prompt?.text === "t1")!;
    expect(texts(t1.prompt?.replies)).toEqual(["a1"]);
    expect(texts(t1.prompt?.replies?.[0]?.replies)).toEqual(["p1"]);
    expect(t1.prompt?.replies?.[0]?.replies?.[0]?.replies?.[0]).toMatchObject({ text: "a5", replies: [] });
  });

  it("includes everything on request, ranked replies first, and hides rejections by fewer than three reviewers", async () => {
    const result = await trees(EVERYTHING);
    expect(result.map((tr) => tr.prompt?.text).sort()).toEqual(["t1", "t2", "t3", "t4", "t5"]);
    const replies = result.find((tr) => tr.prompt?.text === "t1")!.prompt!.replies!;
    expect(texts(replies)).toEqual(["a1", "a2", "a3", "a4"]);
    expect(replies.map((r) => [r.rank, r.review_result, r.deleted])).toEqual([
      [0, true, false],
      [1, false, false],
      [undefined, true, true],
      [undefined, undefined, false],
    ]);
  });

  it("filters by state, prompt language, creation date, prompts only and limit", async () => {
    expect((await trees({ ...EVERYTHING, states: ["growing"] })).map((tr) => tr.prompt?.text)).toEqual(["t3"]);
    expect((await trees({ lang: "de" })).map((tr) => tr.prompt?.text)).toEqual(["t2"]);
    expect((await trees({ createdFrom: new Date("2023-02-01") })).map((tr) => tr.prompt?.text)).toEqual(["t2"]);
    expect((await trees({ createdTo: new Date("2023-02-01") })).map((tr) => tr.prompt?.text)).toEqual(["t1"]);
    const prompts = await trees({ promptsOnly: true });
    expect(prompts).toHaveLength(2);
    for (const tr of prompts) expect(tr.prompt).not.toHaveProperty("replies");
    const all = await trees(EVERYTHING);
    expect(await trees({ ...EVERYTHING, limit: 2, pageSize: 1 })).toEqual(all.slice(0, 2));
  });

  it("selects single messages by user, deletion, rejection or provenance", async () => {
    expect(await flat({ userId: u1 })).toEqual(["t1", "p1"]);
    expect(await flat({ ...EVERYTHING, deleted: "only" })).toEqual(["a3"]);
    expect((await flat({ ...EVERYTHING, spam: "only" })).sort()).toEqual(["a2", "a4", "t5"]);
    expect(await flat({ ...EVERYTHING, synthetic: "only" })).toEqual(["s1"]);
    await expect(collect(exportTrees(t.db, { userId: u1 }))).rejects.toThrow(AppError);
  });

  it("exports label averages and emoji and ranking events", async () => {
    const [t1] = await trees({ lang: "en", labels: true, events: true });
    expect(t1?.prompt?.events).toEqual({
      emoji: [{ type: "emoji", user_id: u2, emoji: "+1" }],
      ranking: [
        {
          type: "ranking",
          user_id: u2,
          ranking: [0, 1],
          ranked_message_ids: [idOf("a1"), idOf("a2")],
          ranking_parent_id: idOf("t1"),
          message_tree_id: idOf("t1"),
        },
      ],
    });
    expect(t1?.prompt?.replies?.[0]?.labels).toEqual({ quality: { value: 0.75, count: 2 }, spam: { value: 0, count: 1 } });
    expect(t1?.prompt?.replies?.[0]?.replies?.[0]).not.toHaveProperty("labels");
  });
});

describe("anonymisation", () => {
  const options: ExportFilters = { ...EVERYTHING, labels: true, events: true, anonymizerSeed: 42 };

  it("replaces every id with a stable UUID and keeps the tree's links", async () => {
    const lines = await collect(exportTrees(t.db, options));
    expect(await collect(exportTrees(t.db, options))).toEqual(lines);
    const other = await collect(exportTrees(t.db, { ...options, anonymizerSeed: 43 }));
    expect(other[0]).not.toEqual(lines[0]);
    const text = lines.join("\n");
    for (const id of [u1, u2, ...["t1", "t2", "t3", "t4", "t5", "a1", "a2", "p1"].map(idOf)]) expect(text).not.toContain(id);
    const ids = new Set<string>();
    const walk = (node: ExportMessageNode, parentId?: string) => {
      expect(node.message_id).toMatch(UUID_V4);
      expect(node.parent_id).toBe(parentId);
      if (node.user_id) expect(node.user_id).toMatch(UUID_V4);
      ids.add(node.message_id);
      for (const reply of node.replies ?? []) walk(reply, node.message_id);
    };
    for (const tr of parseLines<ExportMessageTree>(lines)) {
      expect(tr.message_tree_id).toBe(tr.prompt?.message_id);
      walk(tr.prompt!);
      const ranking = tr.prompt?.events?.ranking?.[0] as { ranked_message_ids: string[]; message_tree_id: string } | undefined;
      if (ranking) {
        expect(ranking.message_tree_id).toBe(tr.message_tree_id);
        for (const id of ranking.ranked_message_ids) expect(ids.has(id)).toBe(true);
      }
    }
  });

  it("produces a file that imports again as the same trees", async () => {
    const lines = await collect(exportTrees(t.db, options));
    const report = await importOasstTrees(t.db, linesOf(...lines), { origin: "anonymised" });
    expect(report).toMatchObject({ treesImported: 5, errorCount: 0 });
    const anonymisedIds = new Set(parseLines<ExportMessageTree>(lines).map((tr) => tr.message_tree_id));
    const again = (await trees(EVERYTHING)).filter((tr) => anonymisedIds.has(tr.message_tree_id));
    // Authors, label averages and events cannot come back: the pseudonymous users do not exist here.
    const strip = (node: ExportMessageNode): ExportMessageNode => {
      const { user_id: _u, labels: _l, events: _e, replies, ...rest } = node;
      return { ...rest, replies: replies?.map(strip) };
    };
    const expected = parseLines<ExportMessageTree>(lines)
      .map((tr) => ({ ...tr, prompt: strip(tr.prompt!) }))
      .sort((a, b) => a.message_tree_id.localeCompare(b.message_tree_id));
    expect(again).toEqual(expected);
  });
});
