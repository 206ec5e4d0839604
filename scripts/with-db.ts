/**
 * Runs a command with a database: `DATABASE_URL` when set, otherwise the embedded PGlite-backed server with its
 * data under `.data/`. Applies migrations, seeds demo data into an empty embedded database, then starts the
 * command with `DATABASE_URL` pointing at the server.
 *
 *   tsx scripts/with-db.ts -- next dev      run a command
 *   tsx scripts/with-db.ts --serve          only serve the embedded database (other processes reuse it)
 *   tsx scripts/with-db.ts --dev-worker -- next dev
 *                                           also run an inference worker beside the command (`npm run dev`): the
 *                                           weightless dev-echo engine, or the WORKER_* settings when WORKER_ENGINE
 *                                           is set; DEV_WORKER=false turns it off
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { connectDatabase } from "../src/server/db/client";
import { DataDirBusyError, lockDataDir, startEmbeddedPostgres } from "../src/server/db/embedded";
import { migrateDatabase, migrationDatabaseUrl } from "../src/server/db/migrate";
import { seedDemoData } from "../src/server/db/seed/seed";
import { seedDevApiKeysFor } from "../src/server/db/seed/dev-api-keys";

for (const file of [".env.local", ".env"]) if (existsSync(file)) process.loadEnvFile(file);

const args = process.argv.slice(2);
const serveOnly = args[0] === "--serve";
const separator = args.indexOf("--");
const devWorker = (separator >= 0 ? args.slice(0, separator) : args).includes("--dev-worker") && process.env.DEV_WORKER !== "false";
const command = separator >= 0 ? args.slice(separator + 1) : [];
if (!serveOnly && command.length === 0) {
  console.error("usage: tsx scripts/with-db.ts [--serve] [--dev-worker] [-- command ...]");
  process.exit(2);
}

const DATA_ROOT = ".data";
const dataDir = process.env.PGLITE_DATA_DIR ?? path.join(DATA_ROOT, "pglite");

/** A stable secret for local sessions, generated once; production sets AUTH_SECRET itself. */
function localAuthSecret(): string {
  const file = path.join(DATA_ROOT, "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(DATA_ROOT, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

async function seedIfEmpty(url: string) {
  const { db, close } = connectDatabase(url, { max: 2 });
  try {
    const result = await seedDemoData(db);
    if (result.seeded) {
      const { trees } = result;
      console.log(`[db] seeded ${result.users} demo users and ${trees.treesImported} demo trees (${trees.messagesImported} messages)`);
    }
  } finally {
    await close();
  }
}

/**
 * The development worker: without WORKER_ENGINE it serves `dev-echo (development only)`, which needs no model
 * weights, so the chat answers on the first run. It shares the command's database and stops with it.
 */
function startDevWorker(env: NodeJS.ProcessEnv) {
  const workerEnv: NodeJS.ProcessEnv = env.WORKER_ENGINE
    ? { ...env }
    : { ...env, WORKER_ENGINE: "dev-echo", WORKER_MODELS: "dev-echo", WORKER_NAME: env.WORKER_NAME ?? "dev-echo" };
  console.log(`[dev] starting an inference worker (${workerEnv.WORKER_ENGINE}: ${workerEnv.WORKER_MODELS}); DEV_WORKER=false turns it off`);
  // `node --import tsx`, so the signals reach the worker itself (the tsx CLI would run it in a grandchild).
  const worker = spawn(process.execPath, ["--import", "tsx", "src/worker/main.ts"], { stdio: "inherit", env: workerEnv });
  worker.on("exit", (code, signal) => {
    if (code !== 0 && signal === null) console.error(`[dev] the inference worker stopped (exit ${code}); the chat has no model until it runs again`);
  });
  return worker;
}

async function main() {
  const env: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: "1", ...process.env };
  let stopEmbedded = async () => {};

  if (env.DATABASE_URL) {
    // Behind a transaction-mode pooler migrations need the server itself (DATABASE_DIRECT_URL).
    await migrateDatabase(migrationDatabaseUrl(env));
    if (env.SEED_DEMO_DATA === "true") await seedIfEmpty(env.DATABASE_URL);
  } else {
    env.AUTH_SECRET ??= localAuthSecret();
    env.AUTH_DEV_LOGIN ??= "true";
    env.AUTH_TRUST_HOST ??= "true";
    try {
      const port = Number(env.EMBEDDED_DB_PORT ?? 0);
      const lock = lockDataDir(dataDir);
      const server = await startEmbeddedPostgres({ dataDir, port }).catch((error: unknown) => {
        lock.release();
        throw error;
      });
      lock.publish(server.url);
      console.log(`[db] embedded PostgreSQL (PGlite) at ${server.url}, data in ${dataDir}`);
      stopEmbedded = async () => {
        await server.stop();
        lock.release();
      };
      env.DATABASE_URL = server.url;
      await migrateDatabase(server.url);
      if (env.SEED_DEMO_DATA !== "false") await seedIfEmpty(server.url);
      await seedDevApiKeysFor(server.url, command);
    } catch (error) {
      if (!(error instanceof DataDirBusyError) || !error.owner.url) throw error;
      console.log(`[db] reusing the embedded database served by process ${error.owner.pid} at ${error.owner.url}`);
      env.DATABASE_URL = error.owner.url;
    }
  }

  if (serveOnly) {
    console.log(`[db] serving; connect with DATABASE_URL=${env.DATABASE_URL}  (Ctrl+C stops)`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await stopEmbedded();
    return;
  }

  const worker = devWorker ? startDevWorker(env) : null;
  const child = spawn(command[0]!, command.slice(1), { stdio: "inherit", env, shell: process.platform === "win32" });
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
    worker?.kill(signal);
  };
  process.on("SIGINT", forward("SIGINT"));
  process.on("SIGTERM", forward("SIGTERM"));
  const code = await new Promise<number>((resolve) => child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    worker.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  await stopEmbedded();
  process.exit(code);
}

main().catch((error: unknown) => {
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
