/**
 * Inference queue benchmark (results: bench/inference-queue.results.md).
 *
 *   node --import tsx bench/inference-queue.ts [--db postgres|embedded|both] [--requests 200] [--workers 4]
 *        [--clients 4] [--engine-ms 50] [--idle-streams 10] [--idle-seconds 5] [--compare-polling]
 *        [--pg postgres://postgres@127.0.0.1:5432/postgres] [--gguf [--threads 1]]
 *   (`--db none --gguf` runs only the GGUF part)
 *
 * Floors, measured first in the same run: a `select 1` round trip (p50 / p95), and on PostgreSQL one wake-up hop (a
 * committed write with a NOTIFY until another connection hears it) — the path to the first token needs two hops.
 * Wake-ups: on PostgreSQL workers and streams are woken by LISTEN/NOTIFY; `--compare-polling` runs the PostgreSQL part
 * a second time with polling forced (the embedded server always polls), so both are measured side by side.
 * Idle streams: `--idle-streams` replies wait in the queue of a model no worker serves, each followed by a stream;
 * every statement their pool sends during `--idle-seconds` is counted (postgres.js `debug`): queries per second per
 * waiting stream.
 *
 * Queue overhead: each of `--clients` users sends a prompt with a reply request, follows the reply with the same
 * stream the `chat.streamReply` subscription uses, and sends the next one when it is done. `--workers` workers (each
 * with its own connection pool, default poll/flush settings) answer through the OpenAI-compatible engine from a local
 * mock server whose first token takes `--engine-ms`; workers and mock run in their own process
 * (`bench/inference-queue-worker.ts`), as a deployment runs them apart from the app. Reported per request:
 *   overhead = (request → first token seen by the client) − (engine call → engine's first token, measured in the worker)
 * with its parts: request → claimed, claimed → engine call, engine's first token → chunk committed, and the rest
 * (committed → seen by the stream's poll). The embedded server runs in its own process (as `npm run dev` hosts it);
 * PostgreSQL gets a fresh database per run.
 * `--gguf`: tokens/s of the GGUF engine on tiny random-weight models on the CPU.
 */
import { fork, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { connectDatabase } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import type { Database } from "../src/server/db/client";
import * as schema from "../src/server/db/schema";
import { inferenceJobs, users } from "../src/server/db/schema";
import { createChat } from "../src/server/domain/chat/chats";
import { DEFAULT_CHAT_CONFIG } from "../src/server/domain/chat/config";
import { postPrompt, requestReply } from "../src/server/domain/chat/replies";
import { streamReply } from "../src/server/domain/chat/stream";
import { getQueueWakeups, POLLING_WAKEUPS, type QueueWakeups } from "../src/server/domain/chat/wakeups";
import type { JobTimings } from "../src/worker/run-job";
import { writeTinyLlamaGguf } from "../src/worker/test-support/tiny-gguf";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "both" },
    requests: { type: "string", default: "200" },
    workers: { type: "string", default: "4" },
    clients: { type: "string", default: "4" },
    "engine-ms": { type: "string", default: "50" },
    pg: { type: "string", default: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
    gguf: { type: "boolean", default: false },
    threads: { type: "string", default: "1" },
    "idle-streams": { type: "string", default: "10" },
    "idle-seconds": { type: "string", default: "5" },
    "compare-polling": { type: "boolean", default: false },
  },
});
const now = () => performance.timeOrigin + performance.now();
const MODEL = "_lorem";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const ms = (value: number) => value.toFixed(1);

/** The project's own embedded server (`scripts/with-db.ts --serve`) in a child process, on a fresh data directory. */
async function startEmbedded(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dataDir = path.join("bench", "tmp", `inference-queue-pglite-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env = { ...inherited, PGLITE_DATA_DIR: dataDir, SEED_DEMO_DATA: "false" };
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/with-db.ts", "--serve"], { env, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (data: Buffer) => {
      output += data.toString();
      const match = /DATABASE_URL=(\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", () => reject(new Error(`the embedded server exited: ${output}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startPostgres(serverUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const name = `oa_bench_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}"`);
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

type Sample = { total: number; engine: number; overhead: number; afterAccept: number; enqueue: number; queue: number; prepare: number; commit: number; observe: number };

/** The floor: `select 1` round trips on a fresh pool, one at a time. */
async function selectOneFloor(url: string): Promise<{ p50: number; p95: number }> {
  const pool = connectDatabase(url, { max: 1 });
  const times: number[] = [];
  for (let i = 0; i < 220; i++) {
    const began = now();
    await pool.db.execute(sql`select 1`);
    if (i >= 20) times.push(now() - began); // after warm-up
  }
  await pool.close();
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/**
 * The floor of one wake-up hop, the unit the queue path is made of: a committed write with a NOTIFY on one
 * connection until another process's… here another connection's listener hears it (`null` where notifications are
 * not delivered). The path from "reply stored" to "token shown" needs two such hops plus the claim and the engine call.
 */
async function notifyHopFloor(url: string): Promise<{ p50: number; p95: number } | null> {
  const listener = postgres(url, { max: 1, onnotice: () => {} });
  const sender = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [server] = await sender<{ version: string }[]>`select version()`;
    if (server?.version.includes("PGlite")) return null;
    let heard: ((payload: string) => void) | null = null;
    await listener.listen("bench_floor", (payload) => heard?.(payload));
    await sender`create temporary table floor_hop (n int)`;
    const times: number[] = [];
    for (let i = 0; i < 120; i++) {
      const arrived = new Promise<void>((resolve) => (heard = (payload) => payload === String(i) && resolve()));
      const began = now();
      await sender.begin(async (tx) => {
        await tx`insert into floor_hop values (${i})`;
        await tx`select pg_notify('bench_floor', ${String(i)})`;
      });
      await arrived;
      if (i >= 20) times.push(now() - began);
    }
    return { p50: percentile(times, 50), p95: percentile(times, 95) };
  } finally {
    await Promise.all([listener.end(), sender.end()]);
  }
}

/** Statements per second per stream while `count` replies wait in a queue nobody serves. */
async function idleStreamCost(url: string, mode: "detected" | "polling"): Promise<{ mode: string; perStreamPerSecond: number }> {
  let statements = 0;
  const client = postgres(url, { max: 4, onnotice: () => {}, debug: () => statements++, connection: { TimeZone: "UTC" } });
  const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Database;
  const wakeups: QueueWakeups = mode === "polling" ? POLLING_WAKEUPS : await getQueueWakeups(db);
  const count = Number(args["idle-streams"]);
  const config = { ...DEFAULT_CHAT_CONFIG, requireLiveWorker: false, queueMaxSize: 10_000, maxPendingPerUser: 1_000 };
  const [user] = await db.insert(users).values({ name: "idle", email: `idle-${Date.now()}-${mode}@example.test`, tosAcceptanceDate: new Date() }).returning();
  const chat = await createChat(db, user!.id);
  const controller = new AbortController();
  const running: Promise<void>[] = [];
  const { prompt } = await postPrompt(db, config, user!.id, { chatId: chat.id, parentId: null, content: "Waiting" });
  for (let i = 0; i < count; i++) {
    const reply = await requestReply(db, config, user!.id, prompt.id, { modelConfigName: "OA_SFT_Pythia_12B" });
    running.push(
      (async () => {
        for await (const item of streamReply(db, user!.id, reply.id, { config, signal: controller.signal, wakeups })) void item;
      })(),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // every stream has sent its first "queued"
  const before = statements;
  const seconds = Number(args["idle-seconds"]);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const spent = statements - before;
  controller.abort();
  await Promise.allSettled(running);
  await db.execute(sql`update inference_jobs set status = 'cancelled' where status = 'queued'`);
  await client.end();
  return { mode: wakeups.mode, perStreamPerSecond: spent / count / seconds };
}

async function benchQueue(label: string, url: string, forcePolling = false): Promise<Sample[]> {
  await migrateDatabase(url);
  const floor = await selectOneFloor(url);
  const hop = await notifyHopFloor(url);
  const requests = Number(args.requests);
  const clients = Number(args.clients);
  const app = connectDatabase(url, { max: 10 });
  const timings = new Map<string, JobTimings>();
  // The workers and the model server run in their own process, as in a deployment (see inference-queue-worker.ts).
  const workerArgs = ["--url", url, "--workers", args.workers!, "--engine-ms", args["engine-ms"]!, "--model", MODEL, ...(forcePolling ? ["--polling"] : [])];
  const workerProcess = fork("bench/inference-queue-worker.ts", workerArgs, { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  await new Promise<void>((resolve, reject) => {
    workerProcess.on("message", (message: { type: string; timings?: JobTimings }) => {
      if (message.type === "ready") resolve();
      if (message.type === "timings" && message.timings) timings.set(message.timings.jobId, message.timings);
    });
    workerProcess.once("exit", (code) => reject(new Error(`the worker process exited (${code})`)));
  });
  const streamWakeups = forcePolling ? POLLING_WAKEUPS : await getQueueWakeups(app.db);
  const config = { ...DEFAULT_CHAT_CONFIG, queueMaxSize: 10_000 };
  const samples: Sample[] = [];
  let issued = 0;
  const client = async (index: number) => {
    const [user] = await app.db.insert(users).values({ name: `bench ${index}`, email: `bench-${index}-${Date.now()}@example.test`, tosAcceptanceDate: new Date() }).returning();
    const chat = await createChat(app.db, user!.id);
    let parentId: string | null = null;
    while (issued++ < requests) {
      const startedAt = now();
      const { reply } = await postPrompt(app.db, config, user!.id, { chatId: chat.id, parentId, content: `Question ${issued}`, reply: { modelConfigName: MODEL } });
      const enqueuedAt = now();
      let firstTokenAt: number | null = null;
      for await (const item of streamReply(app.db, user!.id, reply!.id, { config, wakeups: streamWakeups })) {
        if (item.event.type === "token") firstTokenAt ??= now();
        if (item.event.type === "message" || item.event.type === "error") break;
      }
      const [job] = await app.db.select({ id: inferenceJobs.id }).from(inferenceJobs).where(eq(inferenceJobs.chatMessageId, reply!.id));
      // The worker reports after finishing the job, a moment after the stream saw the final message.
      let t = timings.get(job!.id);
      for (let wait = 0; !t && wait < 100; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        t = timings.get(job!.id);
      }
      if (!t || firstTokenAt === null || t.engineStartAt === null || t.engineFirstTokenAt === null || t.firstChunkAt === null) throw new Error(`missing timings: ${JSON.stringify({ t, firstTokenAt })}`);
      const engine = t.engineFirstTokenAt - t.engineStartAt;
      const total = firstTokenAt - startedAt;
      samples.push({
        total,
        engine,
        overhead: total - engine,
        afterAccept: firstTokenAt - enqueuedAt - engine,
        enqueue: enqueuedAt - startedAt,
        queue: t.claimedAt - startedAt,
        prepare: t.engineStartAt - t.claimedAt,
        commit: t.firstChunkAt - t.engineFirstTokenAt,
        observe: firstTokenAt - t.firstChunkAt,
      });
      parentId = reply!.id;
    }
  };
  const began = now();
  await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  const seconds = (now() - began) / 1000;
  workerProcess.removeAllListeners("exit");
  const exited = new Promise((resolve) => workerProcess.once("exit", resolve));
  workerProcess.send("stop");
  await exited;
  await app.close();
  const idle = await idleStreamCost(url, forcePolling ? "polling" : "detected");
  const row = (name: keyof Sample) => `${ms(percentile(samples.map((s) => s[name]), 50))} / ${ms(percentile(samples.map((s) => s[name]), 95))}`;
  const ratio = (name: keyof Sample) =>
    `${(percentile(samples.map((s) => s[name]), 50) / Math.max(floor.p50, 0.01)).toFixed(0)}× / ${(percentile(samples.map((s) => s[name]), 95) / Math.max(floor.p95, 0.01)).toFixed(0)}×`;
  console.log(`\nLoad average (1 min) at the end: ${loadavg()[0]!.toFixed(1)}`);
  console.log(`\n### ${label} (${streamWakeups.mode === "notify" ? "LISTEN/NOTIFY" : "polling"}): ${samples.length} requests, ${args.workers} workers, ${clients} clients, ${(samples.length / seconds).toFixed(1)} replies/s`);
  console.log("| measure (ms) | p50 / p95 | ÷ floor p50 / p95 |\n|---|---|---|");
  console.log(`| floor: \`select 1\` round trip | ${floor.p50.toFixed(2)} / ${floor.p95.toFixed(2)} | 1× / 1× |`);
  if (hop) {
    const hopRatio = (name: keyof Sample) =>
      `${(percentile(samples.map((s) => s[name]), 50) / hop.p50).toFixed(1)}× / ${(percentile(samples.map((s) => s[name]), 95) / hop.p95).toFixed(1)}×`;
    console.log(`| floor: one wake-up hop (commit with NOTIFY → heard on another connection) | ${hop.p50.toFixed(2)} / ${hop.p95.toFixed(2)} | |`);
    console.log(`| queue overhead after the request returned ÷ one wake-up hop | | ${hopRatio("afterAccept")} |`);
  }
  console.log(`| **overhead: first token seen − engine's first-token time** | **${row("overhead")}** | ${ratio("overhead")} |`);
  console.log(`| **queue overhead after the request returned: first token seen − request done − engine's first-token time** | **${row("afterAccept")}** | ${ratio("afterAccept")} |`);
  console.log(`| request → first token seen by the client | ${row("total")} | |`);
  console.log(`| engine's own first-token time | ${row("engine")} | |`);
  console.log(`| request → prompt and reply committed (\`postPrompt\`) | ${row("enqueue")} | ${ratio("enqueue")} |`);
  console.log(`| request → claimed by a worker | ${row("queue")} | ${ratio("queue")} |`);
  console.log(`| claimed → engine called (thread, prompt) | ${row("prepare")} | |`);
  console.log(`| engine's first token → chunk committed | ${row("commit")} | |`);
  console.log(`| chunk committed → seen by the stream | ${row("observe")} | ${ratio("observe")} |`);
  console.log(`| queries per second per idle stream (${args["idle-streams"]} streams waiting ${args["idle-seconds"]} s, ${idle.mode}) | ${idle.perStreamPerSecond.toFixed(2)} | |`);
  return samples;
}

/** Generation speed after the first token (prompt processing reported apart); best and median of 3 runs. */
async function benchGguf() {
  const { GgufEngine } = await import("../src/worker/engines/gguf");
  const dir = mkdtempSync(path.join(tmpdir(), "oa-bench-gguf-"));
  const sampling = { topK: 40, topP: 0.95, typicalP: null, temperature: 0.8, repetitionPenalty: 1.1, maxNewTokens: 256 };
  // A different start each run, so the context cannot reuse the previous run's prompt and the first token includes it.
  const prompt = (seed: number) => `<|prompter|>${seed} ${"Tell me something interesting. ".repeat(8)}</s><|assistant|>`;
  const threads = Number(args.threads);
  console.log(`\n### GGUF engine (node-llama-cpp, CPU, ${threads} thread(s))`);
  console.log("| model | weights | sequences | prompt tokens | first token (ms, median) | tokens/s best / median |\n|---|---|---|---|---|---|");
  for (const shape of [{ embedding: 32, layers: 1 }, { embedding: 256, layers: 4 }, { embedding: 512, layers: 8 }]) {
    const file = path.join(dir, `tiny-${shape.embedding}x${shape.layers}.gguf`);
    const { bytes } = writeTinyLlamaGguf(file, { ...shape, contextLength: 1024 });
    for (const sequences of [1, 2]) {
      const engine = await GgufEngine.load({ modelPath: file, contextSize: 1024, sequences, gpu: false, threads });
      const one = async (seed: number) => {
        const began = now();
        let first = 0;
        const generation = engine.generate({ prompt: { kind: "text", text: prompt(seed) }, maxNewTokens: 256, sampling, doSample: true, seed, stop: [], signal: new AbortController().signal });
        for (let step = await generation.next(); !step.done; step = await generation.next()) first ||= now();
        return { firstTokenMs: first - began, first, end: now() };
      };
      await one(0); // warm-up
      const rates: number[] = [];
      const firsts: number[] = [];
      for (let round = 1; round <= 3; round++) {
        const before = engine.generatedTokens;
        const runs = await Promise.all(Array.from({ length: sequences }, (_, i) => one(round * 10 + i)));
        // Tokens after each run's first one, over the time from the earliest first token to the last end.
        const tokens = engine.generatedTokens - before - sequences;
        rates.push(tokens / ((Math.max(...runs.map((r) => r.end)) - Math.min(...runs.map((r) => r.first))) / 1000));
        firsts.push(...runs.map((r) => r.firstTokenMs));
      }
      const promptTokens = engine.tokenizer.encode(prompt(0)).length;
      console.log(
        `| ${shape.embedding}×${shape.layers} | ${(bytes / 4 / 1e6).toFixed(2)} M params, ${(bytes / 1e6).toFixed(1)} MB F32 | ${sequences} | ${promptTokens} | ${ms(percentile(firsts, 50))} | ${Math.max(...rates).toFixed(0)} / ${percentile(rates, 50).toFixed(0)} |`,
      );
      await engine.close();
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

async function main() {
  console.log(`# inference queue benchmark — ${new Date().toISOString()}, node ${process.version}`);
  if (args.db === "postgres" || args.db === "both") {
    const pg = await startPostgres(args.pg!);
    try {
      await benchQueue("PostgreSQL", pg.url);
      if (args["compare-polling"]) await benchQueue("PostgreSQL", pg.url, true);
    } finally {
      await pg.stop();
    }
  }
  if (args.db === "embedded" || args.db === "both") {
    const embedded = await startEmbedded();
    try {
      await benchQueue("embedded server (PGlite)", embedded.url);
    } finally {
      await embedded.stop();
    }
  }
  if (args.gguf) await benchGguf();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
