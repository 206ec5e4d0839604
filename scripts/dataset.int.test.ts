import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "@/server/db/schema";
import { DEMO_TREES_FILE } from "@/server/db/seed/seed";
import { setupTestDatabase } from "@/test/database";
import { runDatasetCli } from "./dataset";

const t = setupTestDatabase();
const dir = mkdtempSync(path.join(tmpdir(), "oa-dataset-cli-"));

async function run(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const code = await runDatasetCli(argv, { db: t.db, stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

describe("dataset CLI", () => {
  it("imports a file with progress and a summary, then nothing the second time", async () => {
    const first = await run("import", DEMO_TREES_FILE);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/100%/);
    expect(first.stderr).toMatch(/imported 100 trees, 1167 messages; skipped 0 trees/);
    const second = await run("import", DEMO_TREES_FILE, "--dry-run");
    expect(second.stderr).toMatch(/dry run \(rolled back\): would have imported 0 trees, 0 messages; skipped 100 trees/);
  });

  it("exports each format, gzipped when the file name says so", async () => {
    const file = path.join(dir, "trees.jsonl.gz");
    const trees = await run("export", "--format", "trees", "--include-synthetic", "--out", file);
    expect(trees.code).toBe(0);
    expect(trees.stderr).toMatch(/exported 100 trees lines to .*trees\.jsonl\.gz/);
    expect(gunzipSync(readFileSync(file)).toString("utf8").trim().split("\n")).toHaveLength(100);

    const sft = await run("export", "--format", "sft", "--limit", "3");
    expect(sft.stdout.trim().split("\n").map((line) => Object.keys(JSON.parse(line)))).toEqual(
      Array(3).fill(["thread_id", "messages", "lang", "message_tree_id"]),
    );
    const pairs = await run("export", "--format", "pairs", "--limit", "2", "--anonymizer-seed", "7");
    expect(pairs.stdout.trim().split("\n").map((line) => JSON.parse(line).source)).toEqual(["tree_ranking", "tree_ranking"]);
  });

  it("switches to messages for message-only filters, as the original", async () => {
    const result = await run("export", "--spam-only", "--state", "all");
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/exported 0 messages lines/);
  });

  it("answers a usage error with exit code 2 and the usage", async () => {
    for (const argv of [["export", "--format", "csv"], ["export", "--state", "blooming"], ["export", "--bogus"], ["import"], ["frobnicate"]]) {
      const result = await run(...argv);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/usage: dataset export/);
    }
    expect((await run("export", "--format", "trees", "--user", "6f1c4b9e-3c55-4a67-9b1c-2b7e1c7a8d10")).code).toBe(2);
  });

  it("prints the usage with the tree-state rule for --help, with no database at all (issue 14)", async () => {
    const stdout = new PassThrough();
    const out: Buffer[] = [];
    stdout.on("data", (chunk: Buffer) => out.push(chunk));
    const code = await runDatasetCli(["--help"], { db: null, stdout, stderr: new PassThrough() });
    expect(code).toBe(0);
    expect(Buffer.concat(out).toString("utf8")).toMatch(/--num-activate N[\s\S]*"backlog_ranking" \(inactive\)/);
  });

  it("answers --help and usage errors without DATABASE_URL by the usage, never a stack trace", async () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const exec = promisify(execFile);
    const help = await exec("npx", ["tsx", "scripts/dataset.ts", "--help"], { env, encoding: "utf8" });
    expect(help.stdout).toMatch(/^usage: dataset export/);
    const failed = await exec("npx", ["tsx", "scripts/dataset.ts", "export", "--limit", "1"], { env, encoding: "utf8" }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(/^✖ DATABASE_URL is not set[\s\S]*usage: dataset export/);
    expect(failed?.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports bad lines and exits with 1", async () => {
    const file = path.join(dir, "bad.jsonl");
    writeFileSync(file, `{"message_tree_id": "x"}\nnot json\n`);
    const result = await run("import", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 1: .*\nline 2: invalid JSON/);
  });

  it("runs as a script against DATABASE_URL", async () => {
    // Asynchronously: the embedded test database is served from this very process.
    const { stdout } = await promisify(execFile)(
      "npx",
      ["tsx", "scripts/dataset.ts", "export", "--limit", "1", "--state", "all", "--include-synthetic"],
      { env: { ...process.env, DATABASE_URL: t.url }, encoding: "utf8" },
    );
    expect(Object.keys(JSON.parse(stdout))).toEqual(["message_tree_id", "tree_state", "prompt", "origin"]);
  });

  it("leaves the data unchanged by exports", async () => {
    const [row] = await t.db.select({ n: count() }).from(messages);
    expect(row?.n).toBe(1167);
  });
});
