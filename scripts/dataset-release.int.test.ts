import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "@/server/db/schema";
import { DEMO_TREES_FILE } from "@/server/db/seed/seed";
import { type ReleaseManifest } from "@/server/domain/dataset/release";
import { setupTestDatabase } from "@/test/database";
import { runDatasetCli } from "./dataset";

const t = setupTestDatabase();
const dir = mkdtempSync(path.join(tmpdir(), "oa-release-cli-"));

async function run(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const err: Buffer[] = [];
  stdout.resume();
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const code = await runDatasetCli(argv, { db: t.db, stdout, stderr });
  return { code, stderr: Buffer.concat(err).toString("utf8") };
}

const manifestOf = (name: string) => JSON.parse(readFileSync(path.join(dir, name, "manifest.json"), "utf8")) as ReleaseManifest;

describe("dataset release CLI", () => {
  it("builds a release of the imported demo trees with progress, then a second one listing a withdrawal", async () => {
    expect((await run("import", DEMO_TREES_FILE)).code).toBe(0);
    const first = await run("release", "2026-01", "--out", dir, "--state", "all", "--include-synthetic");
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/writing messages\.parquet/);
    expect(first.stderr).toMatch(/released 2026-01 to .*: 100 trees, \d+ messages, \d+ SFT threads, \d+ pairs; first release/);
    const v1 = manifestOf("2026-01");
    expect(v1.counts.trees).toBe(100);
    expect(v1.filters).toMatchObject({ states: "all", synthetic: "include", removedAuthors: "exclude" });

    const [reply] = await t.db.select({ id: messages.id }).from(messages).where(eq(messages.role, "assistant")).limit(1);
    await t.db.update(messages).set({ deleted: true }).where(eq(messages.id, reply!.id));
    const second = await run("release", "2026-02", "--out", dir, "--state", "all", "--include-synthetic");
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/since 2026-01: 0 added, 1 removed, \d+ changed, 1 withdrawn/);
    const v2 = manifestOf("2026-02");
    expect(v2.previous).toBe("2026-01");
    expect(v2.counts.messages).toBe(v1.counts.messages - 1);
    expect(readFileSync(path.join(dir, "2026-02", "withdrawals.jsonl"), "utf8")).toContain(reply!.id);
  });

  it("answers usage errors with exit code 2: no name, a taken name, message-only filters, anonymisation", async () => {
    for (const argv of [["release"], ["release", "a", "b"], ["release", "2026-01", "--out", dir], ["release", "x", "--user", "6f1c4b9e-3c55-4a67-9b1c-2b7e1c7a8d10"], ["release", "x", "--anonymizer-seed", "1"], ["release", "../up"]]) {
      const result = await run(...argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/usage: dataset export[\s\S]*dataset release NAME/);
    }
  });
});
