import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { DataDirBusyError, lockDataDir, readDataDirOwner, startEmbeddedPostgres } from "./embedded";

describe("lockDataDir", () => {
  it("refuses a second owner while the first is alive, naming where it serves", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "oa-lock-")), "pglite");
    const lock = lockDataDir(dir);
    lock.publish("postgres://postgres@127.0.0.1:1234/postgres");
    expect(() => lockDataDir(dir)).toThrow(DataDirBusyError);
    expect(() => lockDataDir(dir)).toThrow(/already served by process \d+ at postgres:\/\/postgres@127\.0\.0\.1:1234/);
    lock.release();
    lockDataDir(dir).release();
  });

  it("takes over a lock left behind by a process that died", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "oa-lock-")), "pglite");
    const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid!;
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: dead, url: "postgres://gone" }));
    const lock = lockDataDir(dir);
    expect(readDataDirOwner(dir)?.pid).toBe(process.pid);
    lock.release();
  });
});

describe("startEmbeddedPostgres", () => {
  it("keeps data in its directory across restarts", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "oa-data-")), "pglite");
    const first = await startEmbeddedPostgres({ dataDir: dir });
    const sql1 = postgres(first.url, { max: 2 });
    await sql1`create table notes (body text)`;
    await sql1`insert into notes values ('kept')`;
    await sql1.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir: dir });
    const sql2 = postgres(second.url, { max: 2 });
    expect(await sql2`select body from notes`).toEqual([{ body: "kept" }]);
    await sql2.end();
    await second.stop();
  });
});
