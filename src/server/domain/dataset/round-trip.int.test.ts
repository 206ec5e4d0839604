import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messages, messageTreeStates } from "@/server/db/schema";
import { DEMO_TREES_FILE } from "@/server/db/seed/seed";
import { setupTestDatabase } from "@/test/database";
import { exportMessages } from "./export-messages";
import { exportTrees } from "./export-trees";
import { importOasstTrees, type ImportReport } from "./import-trees";
import { type ExportMessageNode, type ExportMessageTree } from "./oasst-schema";
import { readLines } from "./read-lines";
import { collect } from "./test-trees";
import { writeLines } from "./write-lines";

const t = setupTestDatabase();
const ORIGIN = "oasst-en-100-trees.jsonl";
const fixture = readFileSync(DEMO_TREES_FILE, "utf8").trim().split("\n").map((line) => JSON.parse(line) as ExportMessageTree);

/**
 * 11 fixture messages say `"emojis": {}` (emojis added and removed again), the others omit the field (never
 * touched). Our emoji counts are NOT NULL with `{}` as default, so both read back as "no emojis" and are omitted.
 */
function withoutEmptyEmojis(node: ExportMessageNode): ExportMessageNode {
  const { emojis, replies, ...rest } = node;
  return {
    ...rest,
    ...(emojis && Object.keys(emojis).length > 0 ? { emojis } : {}),
    ...(replies ? { replies: replies.map(withoutEmptyEmojis) } : {}),
  };
}

let firstImport: ImportReport;
beforeAll(async () => {
  firstImport = await importOasstTrees(t.db, readLines(DEMO_TREES_FILE), { origin: ORIGIN });
});

describe("oasst round trip", () => {
  it("imports the 100 demo trees with their 1167 messages", async () => {
    expect(firstImport).toMatchObject({ treesImported: 100, messagesImported: 1167, treesSkipped: 0, errorCount: 0 });
    const [row] = await t.db.select({ n: count() }).from(messages);
    expect(row?.n).toBe(1167);
    const states = await t.db.select({ state: messageTreeStates.state, n: count() }).from(messageTreeStates).groupBy(messageTreeStates.state);
    expect(states).toEqual([{ state: "ready_for_export", n: 100 }]);
  });

  it("exports the same trees field by field", async () => {
    const lines = await collect(exportTrees(t.db, { synthetic: "include" }));
    expect(lines).toHaveLength(100);
    const exported = new Map(lines.map((line) => [JSON.parse(line).message_tree_id as string, JSON.parse(line) as ExportMessageTree]));
    for (const original of fixture) {
      const tree = exported.get(original.message_tree_id);
      expect(tree?.origin).toBe(ORIGIN);
      // The file has no dates: the export has none either (the import time is not a fact of the source, issue 14).
      const expected = { ...original, prompt: withoutEmptyEmojis(original.prompt!), origin: ORIGIN };
      const actual = tree;
      expect(actual).toEqual(expected);
      // Same field order too (OA schema order), so the lines diff cleanly against the original's files.
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    }
    // Trees come in id order (keyset paging), whatever the page size.
    const ids = [...exported.keys()];
    expect(ids).toEqual([...ids].sort());
    expect(await collect(exportTrees(t.db, { synthetic: "include", pageSize: 7 }))).toEqual(lines);
  });

  it("adds nothing when the same file is imported again", async () => {
    const again = await importOasstTrees(t.db, readLines(DEMO_TREES_FILE), { origin: ORIGIN });
    expect(again).toMatchObject({ treesImported: 0, messagesImported: 0, treesSkipped: 100, errorCount: 0 });
    const [row] = await t.db.select({ n: count() }).from(messages);
    expect(row?.n).toBe(1167);
  });

  it("leaves trees with a synthetic message out by default, as the original did", async () => {
    const syntheticTrees = new Set(
      (await t.db.selectDistinct({ id: messages.messageTreeId }).from(messages).where(eq(messages.synthetic, true))).map((r) => r.id),
    );
    expect(syntheticTrees.size).toBeGreaterThan(0);
    const lines = await collect(exportTrees(t.db));
    expect(lines).toHaveLength(100 - syntheticTrees.size);
    for (const line of lines) expect(syntheticTrees.has(JSON.parse(line).message_tree_id)).toBe(false);
  });

  it("round-trips through a gzipped file", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "oa-export-")), "trees.jsonl.gz");
    const written = await writeLines(exportTrees(t.db, { synthetic: "include" }), file);
    expect(written).toBe(100);
    const text = gunzipSync(readFileSync(file)).toString("utf8");
    expect(text.trim().split("\n")).toEqual(await collect(exportTrees(t.db, { synthetic: "include" })));
    const reimport = await importOasstTrees(t.db, readLines(file), { origin: "again" });
    expect(reimport).toMatchObject({ treesSkipped: 100, errorCount: 0, treesImported: 0 });
  });

  it("exports flat message lines, parents first, that re-import as the same rows", async () => {
    const lines = await collect(exportMessages(t.db, { synthetic: "include" }));
    expect(lines).toHaveLength(1167);
    const seen = new Set<string>();
    for (const line of lines) {
      const node = JSON.parse(line) as ExportMessageNode;
      expect(node.replies).toBeUndefined();
      expect(node.tree_state).toBe("ready_for_export");
      if (node.parent_id) expect(seen.has(node.parent_id)).toBe(true);
      else expect(node.message_tree_id).toBe(node.message_id);
      seen.add(node.message_id);
    }
    expect(await collect(exportMessages(t.db, { synthetic: "include", limit: 5 }))).toEqual(lines.slice(0, 5));
  });
});
