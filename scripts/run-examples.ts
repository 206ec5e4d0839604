/**
 * Runs the developer examples against a started app: `npx tsx scripts/run-examples.ts`.
 *
 * Self-contained: it needs a production build (`npm run build`; it builds when there is none), starts a fresh
 * embedded database (or a fresh database on DATABASE_URL's server), migrates it, creates the development keys 1234
 * and 0000, starts `next start` on a free port, then runs examples 1 and 2 with the typed client and, when python3
 * with `requests` is installed, the product's two Python examples unchanged but for the base URL. It checks what each
 * prints, stops everything and exits non-zero on any failure. CI runs it after the build step. `EXAMPLES_PORT` fixes
 * the app's port (default: a free one).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { connectDatabase } from "../src/server/db/client";
import { startEmbeddedPostgres } from "../src/server/db/embedded";
import { migrateDatabase } from "../src/server/db/migrate";
import { seedDevApiKeys } from "../src/server/db/seed/dev-api-keys";

type Check = { name: string; command: string[]; env?: Record<string, string>; expect: RegExp[] };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the app did not answer ${url} within ${timeoutMs / 1000} s`);
}

/** Asynchronous on purpose: this process serves the embedded database, so it must not block while a check runs. */
async function run(check: Check, baseEnv: NodeJS.ProcessEnv): Promise<boolean> {
  const started = Date.now();
  const child = spawn(check.command[0]!, check.command.slice(1), { env: { ...baseEnv, ...check.env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  const status = await new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  clearTimeout(timer);
  const missing = check.expect.filter((pattern) => !pattern.test(output));
  const ok = status === 0 && missing.length === 0;
  console.log(`${ok ? "✓" : "✗"} ${check.name} (${Date.now() - started} ms)`);
  if (!ok) console.log(`  exit ${status}${missing.length ? `, missing ${missing.join(", ")}` : ""}\n${output.replace(/^/gm, "  | ")}`);
  return ok;
}

/** Until a worker serving `model` has registered its heartbeat (the chat refuses models nobody serves). */
async function waitForWorker(databaseUrl: string, model: string) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    for (let i = 0; i < 120; i++) {
      const rows = await sql`select 1 from inference_workers where models ? ${model} limit 1`.catch(() => []);
      if (rows.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`no worker serving ${model} registered within 60 s`);
  } finally {
    await sql.end();
  }
}

async function main() {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", AUTH_TRUST_HOST: "true", SEED_DEMO_DATA: "false" };
  env.AUTH_SECRET ??= "examples-secret-that-is-at-least-32-characters-long";
  if (!existsSync(".next/BUILD_ID") && spawnSync("npx", ["next", "build"], { stdio: "inherit", env }).status !== 0) process.exit(1);

  const cleanups: (() => Promise<void>)[] = [];
  let databaseUrl: string;
  if (process.env.DATABASE_URL) {
    const name = `oa_examples_${process.pid}`;
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    cleanups.push(async () => {
      const drop = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      await drop.unsafe(`drop database if exists "${name}" with (force)`);
      await drop.end();
    });
  } else {
    const server = await startEmbeddedPostgres({ dataDir: path.join(mkdtempSync(path.join(tmpdir(), "oa-examples-")), "pglite"), port: 0 });
    databaseUrl = server.url;
    cleanups.unshift(() => server.stop());
  }
  await migrateDatabase(databaseUrl);
  const { db, close } = connectDatabase(databaseUrl, { max: 1 });
  await seedDevApiKeys(db);
  await close();

  const port = process.env.EXAMPLES_PORT ? Number(process.env.EXAMPLES_PORT) : await freePort();
  const origin = `http://127.0.0.1:${port}`;
  // Its own process group, so stopping it also stops the next-server that `npx next start` starts.
  const app = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], { env: { ...env, DATABASE_URL: databaseUrl }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let appLog = "";
  app.stdout.on("data", (chunk: Buffer) => (appLog += chunk.toString()));
  app.stderr.on("data", (chunk: Buffer) => (appLog += chunk.toString()));
  cleanups.unshift(async () => {
    const exited = new Promise((resolve) => (app.exitCode !== null ? resolve(null) : app.once("exit", resolve)));
    try {
      process.kill(-app.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    try {
      process.kill(-app.pid!, "SIGKILL");
    } catch {
      // stopped in time
    }
  });

  // The development worker (`npm run dev` starts the same one), so the typed chat example streams a real answer.
  const worker = spawn(process.execPath, ["--import", "tsx", "src/worker/main.ts"], {
    env: { ...env, DATABASE_URL: databaseUrl, WORKER_ENGINE: "dev-echo", WORKER_MODELS: "dev-echo", WORKER_NAME: "examples-dev-echo" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let workerLog = "";
  worker.stdout.on("data", (chunk: Buffer) => (workerLog += chunk.toString()));
  worker.stderr.on("data", (chunk: Buffer) => (workerLog += chunk.toString()));
  cleanups.unshift(async () => {
    const exited = new Promise((resolve) => (worker.exitCode !== null ? resolve(null) : worker.once("exit", resolve)));
    worker.kill("SIGQUIT");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    worker.kill("SIGKILL");
  });

  let ok = true;
  try {
    await waitFor(`${origin}/configs/model_configs`, app);
    await waitForWorker(databaseUrl, "dev-echo");
    const exampleEnv = { ...process.env, OA_URL: origin };
    const checks: Check[] = [
      { name: "examples/request-task.ts (typed client)", command: ["npx", "tsx", "examples/request-task.ts"], env: { OA_API_KEY: "1234" }, expect: [/Task ID: [0-9a-f-]{36}, Type: initial_prompt/, /Interaction result: wrote message [0-9a-f-]{36}/] },
      { name: "examples/chat-stream.ts (typed client, dev-echo)", command: ["npx", "tsx", "examples/chat-stream.ts"], env: { OA_API_KEY: "0000" }, expect: [/reply [0-9a-f-]{36} is (pending|in_progress|complete)/, /Explain the quicksort algorithm/, /\[done: complete\]/] },
      { name: "examples/chat-stream.ts (typed client, no worker for the model)", command: ["npx", "tsx", "examples/chat-stream.ts"], env: { OA_API_KEY: "0000", OA_MODEL: "distilgpt2" }, expect: [/No worker is serving distilgpt2 right now/] },
    ];
    const python = spawnSync("python3", ["-c", "import requests"], { encoding: "utf8" });
    if (python.status === 0) {
      checks.push(
        { name: "examples/python/request_task.py (REST)", command: ["python3", "examples/python/request_task.py"], expect: [/Task ID: [0-9a-f-]{36}, Type: initial_prompt/, /Interaction result: \{'id': '[0-9a-f-]{36}', 'type': 'task_done'\}/] },
        { name: "examples/python/chat_stream.py (REST)", command: ["python3", "examples/python/chat_stream.py"], expect: [/^data: \{"event_type":"error","reason":"no_worker"/m] },
      );
    } else {
      console.log("- python3 with requests is not installed: the Python examples are skipped");
    }
    for (const check of checks) ok = (await run(check, exampleEnv)) && ok;
  } catch (error) {
    ok = false;
    console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!ok) console.log(`app log:\n${appLog.slice(-4000)}`);
  for (const cleanup of cleanups) await cleanup().catch(() => {});
  console.log(ok ? "examples: all passed" : "examples: FAILED");
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
