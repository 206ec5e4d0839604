/**
 * Load benchmark through the public interface (tRPC over HTTP, signed-in contributors with session cookies):
 *
 *   AUTH_SECRET=… npx tsx bench/load.ts --url=http://127.0.0.1:3300 --db=postgres://…/oa_scale \
 *     [--clients=20] [--seconds=20] [--rate=auto|100] [--label="PostgreSQL, 1M messages"] [--out=bench/results/x.md]
 *     [--only=floors,request,roundtrip,leaderboard,tree,chat] [--types=random,label_prompter_reply] [--processes=2] [--start] [--warmup=0]
 *
 * Every figure is printed next to the floors measured in the same run: `health.ping` (HTTP + tRPC), `health.database`
 * (one `select 1`) and `health.session` (the contributor procedure: session + user row). Closed loop: `--clients`
 * callers back to back for `--seconds`. Open loop: requests sent at `--rate` per second on a fixed schedule and timed
 * from their scheduled send time, so a server that falls behind shows it in the latency (no coordinated omission).
 *
 * `chat`: "chat post + first token" — a new chat, `chat.postMessage` with a reply request, then the reply's SSE stream
 * (`chat.streamReply`) until the first token; the figure is the time to that token. The bench starts a mock
 * OpenAI-compatible model server that answers at once and one worker process (`src/worker/main.ts`) serving it, so the
 * figure is the app's and the queue's own cost. Each operation reads its stream to the end before the next (the
 * per-user cap of pending replies stays free).
 *
 * Users come from the database (`--db`): contributors who accepted the terms, used round-robin so per-user rate
 * limits are not what is measured. Session cookies are minted with the app's AUTH_SECRET, exactly as Auth.js would.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cpus, loadavg } from "node:os";
import { TRPCClientError } from "@trpc/client";
import postgres from "postgres";
import superjson from "superjson";
import type { TaskRequestType } from "../src/server/domain/tasks/types";
import { readSse } from "../src/worker/engines/sse";
import { startMockOpenAiServer } from "../src/worker/test-support/mock-openai-server";
import { type LoadSample, summarize, type Summary, formatSendLags, formatTable, isOpenFloor } from "./load-stats";
import { sessionCookie, startNextApp } from "./next-app";
import { cpuPerOperation, readCpu } from "./process-cpu";
import { type BenchClient, benchClient, taskRoundTrip } from "./task-round-trip";
import { flag } from "./cli-flags";

const baseUrl = flag("url", "http://127.0.0.1:3000");
const dbUrl = flag("db", process.env.DATABASE_URL ?? "");
const clients = Number(flag("clients", "20"));
const seconds = Number(flag("seconds", "20"));
/** Open-loop rate: a number, or `auto` = half the authed no-op's closed-loop throughput measured in this run. */
const rateFlag = flag("rate", "auto");
let rate = rateFlag === "auto" ? 0 : Number(rateFlag);
const label = flag("label", "");
const only = new Set(flag("only", "floors,request,roundtrip,leaderboard,tree,chat").split(","));
const processes = Number(flag("processes", "1"));
const startApp = process.argv.includes("--start");
/** Warm up the task procedures before measuring (see `measure`); `--warmup=0` does not. */
const warmup = flag("warmup", "1") !== "0";
const secret = process.env.AUTH_SECRET ?? (startApp ? `load-benchmark-${crypto.randomUUID()}` : undefined);
if (!secret || !dbUrl) {
  console.error("Set AUTH_SECRET (the app's) and --db (or DATABASE_URL) to the app's database; or pass --start to run the app here.");
  process.exit(2);
}
/** With --start: `--processes` app processes (`next start`, built first with `npm run build`) on consecutive ports. */
const appUrls = startApp
  ? Array.from({ length: processes }, (_, i) => { const url = new URL(baseUrl); url.port = String(Number(url.port) + i); return url.origin; })
  : baseUrl.split(",");

/** A signed-in contributor: the tRPC client, and its app process and cookie for the SSE stream. */
type User = { id: string; client: BenchClient; origin: string; cookie: string };

let nextApp = 0;
/** Clients are spread over the app processes, as a load balancer would. */
function clientFor(cookie: string) {
  const origin = appUrls[nextApp++ % appUrls.length]!;
  return { client: benchClient(origin, cookie), origin, cookie };
}

/** The process groups of the app processes this run started (`--start`); null: count every `next-server` process. */
let appProcessGroups: number[] | null = null;

async function startApps(): Promise<() => void> {
  const apps = await Promise.all(appUrls.map((origin) => startNextApp({ origin, dbUrl, secret: secret! })));
  appProcessGroups = apps.map((app) => app.processGroup);
  return () => apps.forEach((app) => app.stop());
}

async function contributors(count: number): Promise<User[]> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const rows = await sql<{ id: string }[]>`
    select id from users where tos_acceptance_date is not null and enabled and not deleted and role = 'general'
    order by id limit ${count}`;
  await sql.end();
  return Promise.all(
    rows.map(async ({ id }) => {
      return { id, ...clientFor(await sessionCookie(id, secret!, baseUrl)) };
    }),
  );
}

/** The outcome class of a failed call: a tRPC code, or the transport's failure. */
function errorKind(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; appCode?: string } | undefined;
    return data?.appCode ?? data?.code ?? "TRPC_CLIENT_ERROR";
  }
  return (error as Error).name ?? "ERROR";
}

let nextUser = 0;
let users: User[] = [];
const pickUser = () => users[nextUser++ % users.length]!;

type Operation = (user: User) => Promise<unknown>;

/** Closed loop: `clients` callers back to back for `seconds`, each sample the operation's own time. */
function closedLoop(name: string, operation: Operation): Promise<Summary> {
  return closedLoopTimed(name, async (user) => {
    const start = performance.now();
    await operation(user);
    return performance.now() - start;
  });
}

async function openLoop(name: string, operation: Operation): Promise<Summary> {
  const samples: LoadSample[] = [];
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  const sendLags: number[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sendLags.push(performance.now() - scheduled);
    pending.push(
      operation(pickUser()).then(
        () => void samples.push({ ms: performance.now() - scheduled, error: null }),
        (error: unknown) => void samples.push({ ms: performance.now() - scheduled, error: errorKind(error) }),
      ),
    );
  }
  // Give stragglers ten seconds; whatever is still out then counts as unanswered.
  const settled = Promise.all(pending);
  await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  const measured = [...samples];
  for (let i = measured.length; i < total; i++) measured.push({ ms: Number.POSITIVE_INFINITY, error: "UNANSWERED" });
  // The next figure must not pay for this one's backlog: wait (bounded) until the server has drained it.
  await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  return summarize(`${name} @ ${rate}/s`, "open", measured, seconds, sendLags);
}

const ROUND_TRIP_TYPES = [
  "random", "initial_prompt", "prompter_reply", "assistant_reply", "label_initial_prompt", "label_prompter_reply", "label_assistant_reply",
  "rank_assistant_replies",
] as const satisfies readonly TaskRequestType[];

/** The round-trip figures to run (`--types`, default all of them), checked against the known types. */
const roundTripTypes = flag("types", ROUND_TRIP_TYPES.join(",")).split(",").map((type) => {
  const known = ROUND_TRIP_TYPES.find((candidate) => candidate === type);
  if (!known) throw new Error(`--types: unknown round-trip type "${type}" (one of ${ROUND_TRIP_TYPES.join(", ")})`);
  return known;
});

const CHAT_MODEL = "_lorem";

/**
 * The model side of the chat figure: a mock OpenAI-compatible server that answers at once, and one worker process
 * serving it against the app's database (as `npm run worker` runs it). Returns when the worker has registered.
 */
async function startChatWorker(): Promise<() => Promise<void>> {
  const mock = await startMockOpenAiServer({ tokens: ["Hello", " world", "!"], firstTokenDelayMs: 0, tokenDelayMs: 2 });
  const worker = spawn(process.execPath, ["--import", "tsx", "src/worker/main.ts"], {
    env: {
      ...process.env, DATABASE_URL: dbUrl, WORKER_ENGINE: "openai", OPENAI_BASE_URL: mock.baseUrl, OPENAI_MODEL: "mock", WORKER_MODELS: CHAT_MODEL,
      WORKER_CONCURRENCY: "4", WORKER_NAME: `load-bench-${process.pid}`,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    let ready = false;
    // Read to the end (a full pipe would stop the worker), keeping only the start-up lines.
    worker.stdout.on("data", (data: Buffer) => {
      if (ready) return;
      output += data.toString();
      if (output.includes("registered as")) {
        ready = true;
        resolve();
      }
    });
    worker.once("exit", (code) => reject(new Error(`the worker exited (${code}): ${output}`)));
  });
  return async () => {
    worker.removeAllListeners("exit");
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    worker.kill("SIGTERM");
    await exited;
    await mock.close();
  };
}

/** A new chat, a prompt with a reply request, the reply's stream until its first token (then read to its end). */
async function chatPostFirstToken(user: User): Promise<number> {
  const began = performance.now();
  const chat = await user.client.chat.create.mutate();
  const { reply } = await user.client.chat.postMessage.mutate({
    chatId: chat.id, parentId: null, content: `Load benchmark question at ${Date.now()}`, reply: { modelConfigName: CHAT_MODEL },
  });
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ messageId: reply!.id })));
  const response = await fetch(`${user.origin}/api/trpc/chat.streamReply?input=${input}`, {
    headers: { cookie: user.cookie, origin: user.origin, accept: "text/event-stream" },
  });
  if (!response.ok || !response.body) throw new Error(`stream HTTP ${response.status}`);
  let firstToken: number | null = null;
  for await (const event of readSse(response.body)) {
    if (event.event !== "message") continue;
    const data = superjson.deserialize(JSON.parse(event.data)) as { type: string; reason?: string };
    if (data.type === "token") firstToken ??= performance.now() - began;
    if (data.type === "error") throw Object.assign(new Error(`reply ${data.reason}`), { name: `REPLY_${String(data.reason).toUpperCase()}` });
    if (data.type === "message") break;
  }
  if (firstToken === null) throw Object.assign(new Error("no token"), { name: "NO_TOKEN" });
  return firstToken;
}

/** Closed loop over an operation that reports its own figure (ms), e.g. the time to the first token. */
async function closedLoopTimed(name: string, operation: (user: User) => Promise<number>): Promise<Summary> {
  const samples: LoadSample[] = [];
  const deadline = performance.now() + seconds * 1000;
  const cpuBefore = readCpu(appProcessGroups);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const start = performance.now();
        try {
          samples.push({ ms: await operation(pickUser()), error: null });
        } catch (error) {
          samples.push({ ms: performance.now() - start, error: errorKind(error) });
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpuAfter = readCpu(appProcessGroups);
  const cpu = cpuBefore && cpuAfter ? cpuPerOperation(cpuBefore, cpuAfter, samples.length, wallMs, appUrls.length) : null;
  return { ...summarize(name, "closed", samples, wallMs / 1000), ...(cpu ? { cpu } : {}) };
}

async function main() {
  const stopApps = startApp ? await startApps() : () => {};
  const stopWorker = only.has("chat") ? await startChatWorker() : async () => {};
  try {
    await measure();
  } finally {
    await stopWorker();
    stopApps();
  }
}

/**
 * Waits until nothing but this benchmark runs on the app's database for 3 s (at most 3 minutes): the app's startup
 * jobs (the in-process scheduler runs the leaderboards, statistics and search index 10 s after start, ~20 s of one
 * core at 1M messages) would otherwise share the machine with the first figures, and lower the floors.
 */
async function waitForQuietDatabase() {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const started = performance.now();
  let quietSince = performance.now();
  // Past the scheduler's start delay when this run started the app, so its jobs have begun.
  const earliest = startApp ? started + 15_000 : started;
  try {
    for (;;) {
      const [row] = await sql<{ busy: number }[]>`
        select count(*)::int as busy from pg_stat_activity
        where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`;
      const now = performance.now();
      if (row!.busy > 0) quietSince = now;
      if (now - quietSince >= 3_000 && now >= earliest) break;
      if (now - started > 180_000) {
        console.log("[load] the database was still busy after 3 minutes; measuring anyway");
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await sql.end();
  }
  console.log(`[load] waited ${((performance.now() - started) / 1000).toFixed(1)} s for a quiet database`);
}

async function measure() {
  users = await contributors(Math.max(500, clients * 50));
  if (users.length < clients) throw new Error(`Only ${users.length} contributors in the database.`);
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const trees = (await sql<{ id: string }[]>`select message_tree_id as id from message_tree_states where state = 'ready_for_export' limit 200`).map((r) => r.id);
  await sql.end();
  console.log(`[load] ${users.length} contributors, ${clients} clients, ${seconds} s per figure, against ${appUrls.join(", ")}`);
  // Warm up the route compilation and pools (a busy embedded server may take a while to accept the first connections).
  for (let attempt = 1; ; attempt++) {
    try {
      await pickUser().client.health.session.query();
      break;
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }

  await waitForQuietDatabase();
  // The HTTP path's first seconds (route modules loaded, code optimised) ran the first floor at ~60 % of its later
  // throughput: a few unmeasured seconds of the floors' calls first.
  const warmUntil = performance.now() + 3_000;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < warmUntil) await Promise.all([pickUser().client.health.ping.query(), pickUser().client.health.session.query()]);
  }));

  // Warm up the task procedures too: each pooled connection plans the hand-out's and the submits' statements the
  // first time it runs them (a generic plan per connection and statement, one per kind for the hand-out), which costs
  // many times an execution. Unwarmed, the first task figure paid for all of that: one round of `clients` concurrent
  // round trips per type, not measured (`--warmup=0` skips it).
  if (warmup && (only.has("roundtrip") || only.has("request"))) {
    const warmed = performance.now();
    for (const type of ROUND_TRIP_TYPES) {
      await Promise.all(Array.from({ length: clients }, () => taskRoundTrip(pickUser().client, type).catch(() => {})));
    }
    console.log(`[load] warmed up the task procedures in ${((performance.now() - warmed) / 1000).toFixed(1)} s`);
  }

  const results: Summary[] = [];
  const run = async (summary: Promise<Summary>) => {
    const result = await summary;
    results.push(result);
    console.log(formatTable([result], results.find((r) => r.name.startsWith("floor: health.session")) ?? result, results.findLast(isOpenFloor)));
  };
  if (only.has("floors")) {
    await run(closedLoop("floor: health.ping (no-op)", (u) => u.client.health.ping.query()));
    await run(closedLoop("floor: health.database (select 1)", (u) => u.client.health.database.query()));
    await run(closedLoop("floor: health.session (authed no-op)", (u) => u.client.health.session.query()));
    if (rate === 0) rate = Math.max(1, Math.round(results.at(-1)!.perSecond / 2));
    await run(openLoop("floor: health.session (authed no-op)", (u) => u.client.health.session.query()));
  }
  if (rate === 0) rate = 20;
  // Round trips first: request-only figures leave their tasks open, and open tasks hold capacity (as a real client
  // that never answers does) until they expire, which would starve the ranking round trip.
  if (only.has("roundtrip")) {
    for (const type of roundTripTypes) {
      await run(closedLoop(`request → ack → submit (${type})`, (u) => taskRoundTrip(u.client, type)));
    }
  }
  if (only.has("request")) {
    await run(closedLoop("tasks.request (random)", (u) => u.client.tasks.request.mutate({ type: "random", lang: "en" })));
    // The open loop's floor again, right before it: on a shared machine the load moves within a run, and the ratio
    // should compare the two open loops under the same load.
    if (only.has("floors")) await run(openLoop("floor: health.session (authed no-op)", (u) => u.client.health.session.query()));
    await run(openLoop("tasks.request (random)", (u) => u.client.tasks.request.mutate({ type: "random", lang: "en" })));
  }
  if (only.has("leaderboard")) {
    await run(closedLoop("leaderboard.list (day)", (u) => u.client.leaderboard.list.query({ timeFrame: "day" })));
  }
  if (only.has("tree") && trees.length > 0) {
    let i = 0;
    await run(closedLoop("messages.tree (9 messages)", (u) => u.client.messages.tree.query({ messageId: trees[i++ % trees.length]! })));
  }

  if (only.has("chat")) {
    await run(closedLoopTimed("chat post + first token (mock model, 1 worker)", chatPostFirstToken));
  }

  const floor = results.find((r) => r.name.startsWith("floor: health.session") && r.mode === "closed");
  const openFloor = results.find((r) => r.name.startsWith("floor: health.session") && r.mode === "open");
  const report = [
    `## ${label || appUrls.join(", ")} — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), app, database and load generator on one machine; 1-minute load ` +
      `average ${loadavg()[0]!.toFixed(1)} at the end; ${appUrls.length} app process(es). ${clients} closed-loop clients, ${seconds} s per row; open loop at ${rate}/s. ` +
      (warmup && (only.has("roundtrip") || only.has("request")) ? `Task procedures warmed up first (one round of ${clients} concurrent round trips per type, not measured). ` : "") +
      "Ratios: closed-loop throughput ÷ the authed no-op's; open-loop p95 ÷ the p95 of the authed no-op's open loop measured last before it. " +
      "CPU (closed loops, from /proc): ms of CPU per operation in the app process(es), the whole PostgreSQL server and this load generator; " +
      "app busy = the app processes' CPU ÷ their wall time — near 100 %, the app process was the bottleneck, and a figure's ratio is about the floor's app CPU ÷ its own.",
    "",
    formatTable(results, floor ?? results[0]!, openFloor),
    "",
    ...(results.some((r) => r.sendLag) ? ["Open loops, the load generator's own lag (included in their latencies):", "", formatSendLags(results), ""] : []),
  ].join("\n");
  console.log(report);
  const out = flag("out", "");
  if (out) {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, report);
  }
  const failed = results.reduce((n, r) => n + r.errors, 0);
  process.exitCode = failed > 0 && process.argv.includes("--strict") ? 1 : 0;
}

await main();
