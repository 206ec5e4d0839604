import { readFileSync } from "node:fs";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messageTreeStates } from "@/server/db/schema";
import { DEMO_TREES_FILE } from "@/server/db/seed/seed";
import { setupTestDatabase } from "@/test/database";
import { exportMessages } from "./export-messages";
import { exportTrees } from "./export-trees";
import { importOasstTrees, type ImportReport } from "./import-trees";
import { type ExportMessageNode, type ExportMessageTree } from "./oasst-schema";
import { collect, linesOf } from "./test-trees";

/**
 * The original's held-out `en_100_message.jsonl` is the demo trees' prompts, one nested message per line, without
 * a tree wrapper, states or dates (issue 14, "fix first").
 */
const t = setupTestDatabase();
const fixture = readFileSync(DEMO_TREES_FILE, "utf8").trim().split("\n").map((line) => JSON.parse(line) as ExportMessageTree);
const messageFile = fixture.map((tree) => JSON.stringify(tree.prompt));

/** Our emoji counts are NOT NULL with `{}` as default, so `"emojis": {}` reads back as "no emojis" (round-trip test). */
function withoutEmptyEmojis(node: ExportMessageNode): ExportMessageNode {
  const { emojis, replies, ...rest } = node;
  return {
    ...rest,
    ...(emojis && Object.keys(emojis).length > 0 ? { emojis } : {}),
    ...(replies ? { replies: replies.map(withoutEmptyEmojis) } : {}),
  };
}

let report: ImportReport;
beforeAll(async () => {
  report = await importOasstTrees(t.db, linesOf(...messageFile), { origin: "en_100_message.jsonl", numActivate: 3 });
});

describe("importing a file of nested messages", () => {
  it("puts the first --num-activate trees in ranking and the rest in the inactive backlog, none growing", async () => {
    expect(report).toMatchObject({ treesImported: 100, messagesImported: 1167, errorCount: 0 });
    const states = await t.db
      .select({ state: messageTreeStates.state, active: messageTreeStates.active, n: count() })
      .from(messageTreeStates)
      .groupBy(messageTreeStates.state, messageTreeStates.active)
      .orderBy(messageTreeStates.state);
    expect(states).toEqual([
      { state: "ranking", active: true, n: 3 },
      { state: "backlog_ranking", active: false, n: 97 },
    ]);
    // The first three lines of the file are the activated ones.
    for (const tree of fixture.slice(0, 3)) {
      const [row] = await t.db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, tree.message_tree_id));
      expect(row?.state).toBe("ranking");
    }
  });

  it("exports the same trees with no invented field: no created_date where the file had none", async () => {
    const lines = await collect(exportTrees(t.db, { synthetic: "include", states: "all" }));
    expect(lines).toHaveLength(100);
    const exported = new Map(lines.map((line) => [JSON.parse(line).message_tree_id as string, JSON.parse(line) as ExportMessageTree]));
    for (const original of fixture) {
      const prompt = exported.get(original.message_tree_id)?.prompt;
      expect(JSON.stringify(prompt)).toBe(JSON.stringify(withoutEmptyEmojis(original.prompt!)));
    }
    for (const line of await collect(exportMessages(t.db, { synthetic: "include", states: "all" }))) {
      expect(JSON.parse(line)).not.toHaveProperty("created_date");
    }
  });

  it("keeps the dates a file does give", async () => {
    const dated = { ...fixture[0]!.prompt!, message_id: "0b0c0d0e-0000-4000-8000-000000000001", replies: [], created_date: "2023-02-05T14:23:50.983374+00:00" };
    await importOasstTrees(t.db, linesOf(dated), { origin: "dated" });
    const lines = await collect(exportMessages(t.db, { synthetic: "include", states: "all", lang: "en" }));
    const node = lines.map((line) => JSON.parse(line) as ExportMessageNode).find((m) => m.message_id === dated.message_id);
    expect(node?.created_date).toBe("2023-02-05T14:23:50.983374+00:00");
  });
});
