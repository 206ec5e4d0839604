import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { messages, users } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { setupTestDatabase } from "@/test/database";
import { importOasstTrees } from "./import-trees";
import { buildRelease, listReleases, releaseFilePath, type ReleaseManifest, type Withdrawal } from "./release";
import { idOf, linesOf, msg, tree } from "./test-trees";

const t = setupTestDatabase();
const root = mkdtempSync(path.join(tmpdir(), "oa-release-"));
let authorId: string;

beforeAll(async () => {
  const [author] = await t.db.insert(users).values({ name: "leaving" }).returning({ id: users.id });
  authorId = author!.id;
  const report = await importOasstTrees(
    t.db,
    linesOf(
      tree(msg("fr-q", "prompter", { lang: "fr" }, [msg("fr-a1", "assistant", { lang: "fr", rank: 0 }), msg("fr-a2", "assistant", { lang: "fr", rank: 1 })])),
      tree(
        msg("en-q", "prompter", { lang: "en" }, [
          msg("en-a1", "assistant", { lang: "en", rank: 0 }, [msg("en-f", "prompter", { lang: "en", user_id: authorId }, [msg("en-a3", "assistant", { lang: "en" })])]),
          msg("en-a2", "assistant", { lang: "en", rank: 1 }),
        ]),
      ),
      tree(msg("de-q", "prompter", { lang: "de" }, [msg("de-a1", "assistant", { lang: "de" })])),
    ),
    { origin: "release-test" },
  );
  expect(report.errorCount).toBe(0);
});

const read = (release: string, file: string) => readFileSync(path.join(root, release, file));
const gzLines = (release: string, file: string) => gunzipSync(read(release, file)).toString("utf8").trim().split("\n").filter(Boolean);

describe("dataset releases", () => {
  it("freezes an export: files, hashes and counts in the manifest, a card the hub can read, readable Parquet", async () => {
    const steps: string[] = [];
    const manifest = await buildRelease(t.db, { name: "v1", root, now: new Date("2026-01-01T00:00:00Z"), onProgress: (step) => steps.push(step) });
    expect(steps).toContain("writing messages.parquet");
    expect(readdirSync(path.join(root, "v1")).sort()).toEqual(
      ["README.md", "manifest.json", "messages.jsonl.gz", "messages.parquet", "pairs.jsonl.gz", "sft.jsonl.gz", "trees.jsonl.gz", "withdrawals.jsonl"],
    );
    const onDisk = JSON.parse(read("v1", "manifest.json").toString("utf8")) as ReleaseManifest;
    expect(onDisk).toEqual(manifest);
    expect(manifest.previous).toBeNull();
    expect(manifest.diff).toBeNull();
    expect(manifest.counts).toMatchObject({
      trees: 3, messages: 10, withdrawals: 0,
      messages_by_language: { en: 5, fr: 3, de: 2 },
      trees_by_language: { en: 1, fr: 1, de: 1 },
    });
    for (const file of manifest.files) {
      const bytes = read("v1", file.path);
      expect(file.bytes).toBe(bytes.length);
      expect(file.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
    const rows = Object.fromEntries(manifest.files.map((file) => [file.path, file.rows]));
    expect(rows["trees.jsonl.gz"]).toBe(gzLines("v1", "trees.jsonl.gz").length);
    expect(rows["messages.jsonl.gz"]).toBe(10);
    expect(rows["sft.jsonl.gz"]).toBe(gzLines("v1", "sft.jsonl.gz").length);
    expect(rows["pairs.jsonl.gz"]).toBe(gzLines("v1", "pairs.jsonl.gz").length);
    expect(manifest.counts.preference_pairs).toBe(2);

    const parquet = read("v1", "messages.parquet");
    expect(parquet.subarray(0, 4).toString("latin1")).toBe("PAR1");
    expect(parquet.subarray(-4).toString("latin1")).toBe("PAR1");
    const buffer = parquet.buffer.slice(parquet.byteOffset, parquet.byteOffset + parquet.byteLength);
    expect(Number(parquetMetadata(buffer).num_rows)).toBe(10);
    const parquetRows = (await parquetReadObjects({ file: buffer })) as { message_id: string; lang: string; text: string }[];
    expect(parquetRows.map((row) => row.message_id).sort()).toEqual(gzLines("v1", "messages.jsonl.gz").map((line) => JSON.parse(line).message_id).sort());
    expect(parquetRows.find((row) => row.message_id === idOf("fr-q"))).toMatchObject({ lang: "fr", text: "fr-q" });

    const card = read("v1", "README.md").toString("utf8");
    const [, yamlText] = card.split(/^---$/m);
    const meta = parseYaml(yamlText!) as { language: string[]; license: string; size_categories: string[]; configs: { config_name: string }[] };
    expect(meta.language).toEqual(["de", "en", "fr"]);
    expect(meta.license).toBe("apache-2.0");
    expect(meta.size_categories).toEqual(["n<1K"]);
    expect(meta.configs.map((config) => config.config_name)).toEqual(["messages", "trees", "sft", "pairs"]);
    expect(card).toMatch(/were not computed/);
    expect(card).toMatch(/\| en \| 1 \| 5 \|/);
  });

  it("lists what was withdrawn since the previous release, with a diff", async () => {
    await t.db.update(messages).set({ deleted: true }).where(eq(messages.id, idOf("fr-a2")));
    await t.db.update(messages).set({ deleted: true }).where(eq(messages.id, idOf("de-q")));
    await t.db.update(users).set({ deleted: true }).where(eq(users.id, authorId));
    const manifest = await buildRelease(t.db, { name: "v2", root, now: new Date("2026-02-01T00:00:00Z") });
    expect(manifest.previous).toBe("v1");
    const withdrawals = read("v2", "withdrawals.jsonl").toString("utf8").trim().split("\n").map((line) => JSON.parse(line) as Withdrawal);
    const byId = (w: Withdrawal) => w.message_id;
    expect(withdrawals.sort((a, b) => byId(a).localeCompare(byId(b)))).toEqual(
      [
        { message_id: idOf("fr-a2"), message_tree_id: idOf("fr-q"), kind: "message", reason: "message_deleted" },
        { message_id: idOf("de-q"), message_tree_id: idOf("de-q"), kind: "tree", reason: "message_deleted" },
        { message_id: idOf("en-f"), message_tree_id: idOf("en-q"), kind: "message", reason: "account_removed" },
      ].sort((a, b) => a.message_id.localeCompare(b.message_id)),
    );
    // The messages file is a message list (as the original's): replies of a withdrawn message stay, unchanged.
    expect(manifest.diff).toEqual({ added: 0, removed: 3, changed: 0, unchanged: 7, withdrawn: 3 });
    expect(manifest.counts.messages).toBe(7);
    // The trees file drops the deleted prompt's tree and the withdrawn message's subtree.
    expect(manifest.counts.trees).toBe(2);
    expect(gzLines("v2", "trees.jsonl.gz").join("\n")).not.toContain(idOf("en-a3"));
    expect(gzLines("v2", "messages.jsonl.gz").map((line) => JSON.parse(line).message_id)).not.toContain(idOf("en-f"));
    const card = read("v2", "README.md").toString("utf8");
    expect(card).toMatch(/previous release `v1`: 0 messages added, 3 removed, 0 changed/);
    expect(card).toMatch(/3 of the removed messages were withdrawn/);
    expect((await listReleases(root)).map((release) => release.name)).toEqual(["v2", "v1"]);
  });

  it("refuses a bad name, an existing release and two builds of one name at once", async () => {
    await expect(buildRelease(t.db, { name: "../x", root })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(buildRelease(t.db, { name: "v1", root })).rejects.toMatchObject({ code: "CONFLICT" });
    const results = await Promise.allSettled([buildRelease(t.db, { name: "race", root }), buildRelease(t.db, { name: "race", root })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected");
    expect(failed?.reason).toBeInstanceOf(AppError);
    expect((failed?.reason as AppError).code).toBe("CONFLICT");
    expect(readdirSync(root).filter((entry) => entry.startsWith("."))).toEqual([]);
  });

  it("serves only the files of a release, never a path outside the releases folder", () => {
    expect(releaseFilePath(root, "v1", "messages.parquet")).toBe(path.join(root, "v1", "messages.parquet"));
    expect(releaseFilePath(root, "v1", "manifest.json")).toBe(path.join(root, "v1", "manifest.json"));
    for (const [name, file] of [["..", "manifest.json"], ["v1", "../../etc/passwd"], ["v1", "other.txt"], [".v1.partial", "README.md"]] as const) {
      expect(() => releaseFilePath(root, name, file)).toThrow(AppError);
    }
  });
});
