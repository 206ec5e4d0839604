import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { messageEmojis, messageReactions, qualitySiblingGroups, tasks, textLabels, users } from "@/server/db/schema";
import { DEMO_TREES_FILE } from "@/server/db/seed/seed";
import { setupTestDatabase } from "@/test/database";
import { type ExportFilters } from "./export-filters";
import { exportTrees, exportTreesAsObjects } from "./export-trees";
import { importOasstTrees } from "./import-trees";
import { collect, idOf, linesOf, msg, tree } from "./test-trees";

/**
 * The tree exporter writes its lines from JSON pieces PostgreSQL builds (export-tree-lines.ts); the reference is
 * the general object path (ExportMessageNode objects, JSON.stringify). Both must give the same bytes for every
 * filter, on data that exercises every field: escapes, dates and their absence, ranks, review rules, emojis,
 * authors (removed ones too), labels, events, strengths, anonymisation.
 */
const t = setupTestDatabase();
const at = (date: string, n = 0) => `${date}T10:00:00.${String(n).padStart(6, "0")}+00:00`;
/** Every character JSON escapes, some it does not, and text PostgreSQL and JS might quote differently. */
const AWKWARD = 'quote " backslash \\ slash / \b\f\n\r\t \u0001\u001f\u007f \u2028\u2029 é 日本 😀 </script> \\u0041';

beforeAll(async () => {
  const [u1, u2, gone] = (await t.db.insert(users).values([{ name: "U1" }, { name: "U2" }, { name: "Gone", deleted: true }]).returning()).map(
    (row) => row.id,
  ) as [string, string, string];
  const demo = readFileSync(DEMO_TREES_FILE, "utf8").trim().split("\n");
  const report = await importOasstTrees(
    t.db,
    linesOf(
      ...demo,
      tree(
        {
          ...msg("x1", "prompter", { user_id: u1, created_date: at("2023-01-10"), emojis: { "+1": 2, "10": 1, _skip_reply: 3 } }, [
          msg("x1-a", "assistant", { rank: 1, user_id: gone, created_date: at("2023-01-10", 1), model_name: "" }, [
            msg("x1-a-p", "prompter", { user_id: u2, created_date: at("2023-01-10", 2) }),
          ]),
          msg("x1-b", "assistant", { rank: 0, created_date: at("2023-01-10", 3), review_result: false, review_count: 5 }),
          msg("x1-c", "assistant", { created_date: at("2023-01-10", 4), review_result: false, review_count: 1 }),
          msg("x1-d", "assistant", { created_date: at("2023-01-10", 4), deleted: true, synthetic: true, model_name: "m\"1" }),
          msg("x1-e", "assistant", { rank: 0, created_date: at("2023-01-10", 5), lang: "de" }),
          ]),
          text: AWKWARD,
        },
        { tree_state: "ready_for_export", origin: undefined },
      ),
      tree(msg("x2", "prompter", { lang: "de", created_date: at("2023-03-01") }, [msg("x2-a", "assistant")]), { tree_state: "growing" }),
      tree(msg("x3", "prompter", { review_result: false, review_count: 3, created_date: at("2023-02-01") })),
      tree(msg("x4", "prompter", { user_id: gone }, [msg("x4-a", "assistant", { review_result: undefined, review_count: undefined })])),
    ),
    { origin: "equivalence" },
  );
  expect(report.errorCount).toBe(0);
  await t.db.insert(textLabels).values([
    { userId: u1, messageId: idOf("x1-a"), labels: { spam: 0, quality: 0.5 } },
    { userId: u2, messageId: idOf("x1-a"), labels: { quality: 1 } },
  ]);
  await t.db.insert(messageEmojis).values({ messageId: idOf("x1"), userId: u2, emoji: "+1" });
  const [task] = await t.db.insert(tasks).values({ type: "rank_assistant_replies", payload: {}, userId: u2 }).returning();
  await t.db.insert(messageReactions).values({
    taskId: task!.id,
    userId: u2,
    messageId: idOf("x1"),
    payload: { type: "message_ranking", rankedMessageIds: [idOf("x1-b"), idOf("x1-a")], rankingParentId: idOf("x1"), messageTreeId: idOf("x1"), notRankable: true },
  });
  await t.db.insert(qualitySiblingGroups).values({
    parentId: idOf("x1"),
    messageTreeId: idOf("x1"),
    lang: "en",
    rankings: 3,
    strengths: {
      [idOf("x1-a")]: { strength: -0.123456789, lower: -1.5, upper: 1e-7 },
      [idOf("x1-b")]: { strength: 0.5, lower: 0.1, upper: 2 / 3 },
    },
  });
});

const EVERYTHING: ExportFilters = { states: "all", spam: "include", deleted: "include", synthetic: "include" };
const CASES: [string, ExportFilters][] = [
  ["defaults", {}],
  ["everything", EVERYTHING],
  ["everything with labels and events", { ...EVERYTHING, labels: true, events: true }],
  ["anonymised", { ...EVERYTHING, labels: true, events: true, anonymizerSeed: "seed" }],
  ["prompts only", { ...EVERYTHING, promptsOnly: true, labels: true, events: true }],
  ["removed authors withdrawn", { ...EVERYTHING, removedAuthors: "exclude" }],
  ["a state and a language", { ...EVERYTHING, states: ["growing"], lang: "de" }],
  ["a date range", { ...EVERYTHING, createdFrom: new Date("2023-01-01"), createdTo: new Date("2023-02-15") }],
  ["synthetic trees left out", { states: "all", spam: "include", deleted: "include" }],
  ["small pages and a limit", { ...EVERYTHING, pageSize: 7, limit: 23 }],
];

describe("tree lines built from PostgreSQL's JSON pieces", () => {
  it.each(CASES)("are byte for byte the object path's: %s", async (_name, filters) => {
    const expected = await collect(exportTreesAsObjects(t.db, filters));
    expect(expected.length).toBeGreaterThan(0);
    expect(await collect(exportTrees(t.db, filters))).toEqual(expected);
  });

  it("keep the awkward text, the emojis and the strengths (the data the comparison relies on is there)", async () => {
    const lines = await collect(exportTrees(t.db, { ...EVERYTHING, labels: true, events: true }));
    const line = lines.find((text) => text.includes(idOf("x1-e")))!;
    expect(line).toContain(JSON.stringify(AWKWARD));
    expect(line).toContain('"emojis":{"10":1,"+1":2,"_skip_reply":3}');
    expect(line).toContain('"consensus_strength":-0.1235,"consensus_strength_ci":[-1.5,0]');
    expect(line).toContain('"model_name":""');
    expect(line).toContain('"labels":{"quality":{"value":0.75,"count":2},"spam":{"value":0,"count":1}}');
    expect(line).toContain('"not_rankable":true');
  });
});
