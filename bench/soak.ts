/**
 * Soak: mixed load through tRPC over HTTP with database faults injected on a schedule (issue 12).
 *
 *   npx tsx bench/soak.ts --minutes 30            (DATABASE_URL: a PostgreSQL server; unset: the embedded one)
 *   npx tsx bench/soak.ts --minutes 2 --fault-every 20 --out bench/RESULTS-soak.md
 *   npx tsx bench/soak.ts --minutes 5 --pooler-url postgres://postgres@127.0.0.1:6433/postgres   (through PgBouncer)
 *
 * What runs, all in this process on loopback:
 * - a fresh, migrated database, and a TCP fault proxy in front of it (src/server/db/faults/proxy.ts);
 * - the app's tRPC router served over HTTP exactly as `src/app/api/trpc/[trpc]/route.ts` serves it
 *   (fetchRequestHandler + responseMeta), its pool connecting through the proxy. Callers authenticate as API
 *   clients acting for their users (`x-api-key` + `x-oasst-user`), so no Next.js build or browser session is needed;
 * - contributors requesting and completing random tasks, chat users posting prompts and waiting for the replies,
 *   a moderator listing, deleting and undeleting messages — all through `@trpc/client` over HTTP;
 * - an inference worker (its own pool, through the proxy) answering from a mock OpenAI-compatible model server;
 * - every `--fault-every` seconds, in turn: the app's and the worker's connections killed (`pg_terminate_backend`
 *   on PostgreSQL, cut at the proxy on the embedded server), then the database refusing connections for 5 s.
 * At the end: requests and error rates by kind, latencies, invariant violations (`checkInvariants`, must be 0),
 * accepted submissions missing from the database (must be 0), untyped errors (must be 0), chat replies that never
 * finished. The result goes to `--out` (a section the integrator can merge into bench/RESULTS.md).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus } from "node:os";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { inArray, sql } from "drizzle-orm";
import postgres from "postgres";
import superjson from "superjson";
import type { AppRouter } from "../src/server/api/root";
import { connectDatabase, databaseSettingsFromEnv, type DatabaseConnection } from "../src/server/db/client";
import { startEmbeddedPostgres } from "../src/server/db/embedded";
import { startFaultProxy, type FaultProxy } from "../src/server/db/faults/proxy";
import { terminateBackends } from "../src/server/db/faults/terminate";
import { migrateDatabase } from "../src/server/db/migrate";
import { seededRandom } from "../src/lib/seeded-random";
import { messageReactions, messages, textLabels } from "../src/server/db/schema";

export type SoakOptions = {
  minutes: number;
  faultEverySeconds: number;
  contributors: number;
  chatters: number;
  moderators: number;
  /** Port of the HTTP server (0: any free one). */
  port: number;
  /**
   * Seeds each actor's own random sequence (pauses, which message the moderator picks, whether it acts), so a run's
   * plan repeats; unset: Math.random. What the server does with it still depends on timing and faults.
   */
  seed?: number;
  /**
   * A transaction-mode pooler (PgBouncer) in front of the database's server: the app's and the worker's pools connect
   * through it (`pooler: "transaction"`, LISTEN on the server directly) instead of through the fault proxy, and every
   * fault kills the server connections behind the pooler (the proxy is not in that path to refuse connections).
   */
  poolerUrl?: string;
  /** An empty, migrated database to use instead of creating one (the vitest file passes its test database). */
  database?: { url: string; embedded: boolean };
  log?: (line: string) => void;
};

type Outcome = "ok" | `typed ${string}` | `untyped ${number}` | "network";
type FaultRecord = { at: number; kind: "kill" | "refuse"; detail: string };

export type SoakResult = {
  options: Omit<SoakOptions, "log">;
  database: string;
  durationSeconds: number;
  requests: number;
  outcomes: Record<string, number>;
  byProcedure: Record<string, { calls: number; ok: number; p50Ms: number; p95Ms: number }>;
  faults: FaultRecord[];
  acceptedSubmissions: number;
  lostSubmissions: number;
  chatReplies: { asked: number; complete: number; failed: number; unfinished: number };
  invariantViolations: number;
  invariantReport: string;
  untypedErrors: number;
  /** How the app's chat streams and the worker wait for the queue: notify (LISTEN) or poll. */
  wakeups: string;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

/** A fresh database for the run: a new database on DATABASE_URL's server, or an embedded server. */
async function freshDatabase(): Promise<{ url: string; label: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({ maxConnections: 32 });
    await migrateDatabase(server.url);
    return { url: server.url, label: "embedded (PGlite server)", drop: () => server.stop() };
  }
  const name = `oa_soak_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return {
    url: url.toString(),
    label: `PostgreSQL (${url.host})`,
    drop: async () => {
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}

/** `url` (a pooler's address) with the database name of `databaseUrl`. */
function sameDatabase(url: string, databaseUrl: string): string {
  const target = new URL(url);
  target.pathname = new URL(databaseUrl).pathname;
  return target.toString();
}

/** The tRPC route of the app, on a plain Node HTTP server (the same handler options as route.ts). */
async function serveApp(app: DatabaseConnection, port: number): Promise<{ server: Server; url: string }> {
  const { appRouter } = await import("../src/server/api/root");
  const { createTRPCContext } = await import("../src/server/api/trpc");
  const { responseHeadersFor } = await import("../src/server/api/response-meta");
  const toRequest = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
    return new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: chunks.length > 0 ? Buffer.concat(chunks) : undefined });
  };
  const server = createServer((req, res) => {
    void (async () => {
      const request = await toRequest(req);
      const response = await fetchRequestHandler({
        endpoint: "/api/trpc",
        req: request,
        router: appRouter,
        createContext: () => createTRPCContext({ db: app.db, headers: request.headers, sessionUserId: null }),
        responseMeta: ({ errors }) => ({ headers: responseHeadersFor(errors) }),
      });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc` };
}

/** Runs the soak; the process environment is as before afterwards (the vitest file shares its process). */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, AUTH_SECRET: process.env.AUTH_SECRET };
  try {
    return await soak(options);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function soak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64");
  const database = options.database
    ? { url: options.database.url, label: options.database.embedded ? "embedded (PGlite server)" : "PostgreSQL", drop: async () => {} }
    : await freshDatabase();
  process.env.DATABASE_URL = database.url;
  const admin = connectDatabase(database.url, { max: 2, applicationName: "oa-soak-admin" });
  const proxy: FaultProxy = await startFaultProxy(database.url);
  // Behind a pooler: the same database name on the pooler's address; LISTEN goes to the server itself.
  const pooled = options.poolerUrl ? { url: sameDatabase(options.poolerUrl, database.url), pooler: "transaction" as const, directUrl: database.url } : null;
  const poolUrl = pooled?.url ?? proxy.url;
  const poolSettings = pooled ? { pooler: pooled.pooler, directUrl: pooled.directUrl } : { pooler: "none" as const };
  // The app's pool as `npm start` opens it (statement and idle-transaction limits included), through the proxy.
  const app = connectDatabase(poolUrl, { ...databaseSettingsFromEnv(), max: 10, applicationName: "oa-soak-app", ...poolSettings });
  const workerPool = connectDatabase(poolUrl, { max: 3, applicationName: "oa-soak-worker", ...poolSettings });
  const { startMockOpenAiServer } = await import("../src/worker/test-support/mock-openai-server");
  const mock = await startMockOpenAiServer({ tokens: ["Soak", " test", " reply", "."], tokenDelayMs: 20 });
  const { InferenceWorker } = await import("../src/worker/worker");
  const { OpenAiCompatibleEngine } = await import("../src/worker/engines/openai-compatible");
  const worker = new InferenceWorker(
    workerPool.db,
    new OpenAiCompatibleEngine({ baseUrl: mock.baseUrl, model: "mock", api: "chat", timeoutMs: 10_000 }),
    { name: "soak-worker", models: ["_lorem"], concurrency: 2, leaseMs: 10_000, heartbeatMs: 2_000, pollMs: 100, flushMs: 100, promptFormat: "oasst", useStopSequences: true },
    { log: () => {} },
  );
  await worker.start();
  const { getQueueWakeups } = await import("../src/server/domain/chat/wakeups");
  const wakeups = (await getQueueWakeups(app.db)).mode;
  const { server, url } = await serveApp(app, options.port);
  const { createApiClient } = await import("../src/server/domain/api-clients/keys");
  const { key } = await createApiClient(admin.db, { description: "soak", frontendType: "soak", trusted: true });

  const outcomes = new Map<string, number>();
  const latencies = new Map<string, { calls: number; ok: number; ms: number[] }>();
  const faults: FaultRecord[] = [];
  const started = Date.now();
  const deadline = started + options.minutes * 60_000;
  const running = () => Date.now() < deadline;
  /** A pause that ends at the deadline, so the run stops on time. */
  const pause = (ms: number) => sleep(Math.max(0, Math.min(ms, deadline - Date.now())));

  function clientFor(username: string) {
    const trpc = createTRPCClient<AppRouter>({
      links: [httpLink({ url, transformer: superjson, headers: () => ({ "x-api-key": key, "x-oasst-user": `soak:${username}` }) })],
    });
    /** Runs one call and books its outcome; returns the value or undefined. */
    return async function call<T>(procedure: string, run: (client: typeof trpc) => Promise<T>): Promise<T | undefined> {
      const begin = performance.now();
      let outcome: Outcome;
      let value: T | undefined;
      try {
        value = await run(trpc);
        outcome = "ok";
      } catch (error) {
        if (error instanceof TRPCClientError) {
          const data = error.data as { appCode?: string; httpStatus?: number } | undefined;
          outcome = !data ? "network" : data.appCode && data.appCode !== "INTERNAL" ? `typed ${data.appCode}` : `untyped ${data.httpStatus ?? 0}`;
        } else outcome = "network";
      }
      const entry = latencies.get(procedure) ?? { calls: 0, ok: 0, ms: [] };
      entry.calls++;
      if (outcome === "ok") {
        entry.ok++;
        entry.ms.push(performance.now() - begin);
      }
      latencies.set(procedure, entry);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      return value;
    };
  }

  const accepted: string[] = [];
  /** Each actor draws from its own sequence, so the actors' plans do not depend on how their calls interleave. */
  const randomFor = (actor: number) => (options.seed === undefined ? Math.random : seededRandom(options.seed * 1_000 + actor));

  async function contributor(index: number) {
    const call = clientFor(`contributor-${index}`);
    const random = randomFor(index);
    while (running() && !(await call("users.acceptTos", (c) => c.users.acceptTos.mutate()))) await sleep(500);
    await pause(random() * 4_000);
    while (running()) {
      const task = await call("tasks.request", (c) => c.tasks.request.mutate({ type: "random", lang: "en" }));
      if (task) {
        const acked = await call("tasks.ack", (c) => c.tasks.ack.mutate({ taskId: task.id, frontendMessageId: randomUUID() }));
        if (acked !== undefined) {
          const payload = task.payload;
          let done: unknown;
          if (payload.type === "initial_prompt" || payload.type === "prompter_reply" || payload.type === "assistant_reply") {
            done = await call("tasks.submitReply", (c) => c.tasks.submitReply.mutate({ taskId: task.id, text: `Soak text ${randomUUID()}` }));
          } else if (payload.type === "label_initial_prompt" || payload.type === "label_prompter_reply" || payload.type === "label_assistant_reply") {
            const labels = Object.fromEntries(payload.validLabels.map((name) => [name, 0]));
            done = await call("tasks.submitLabels", (c) => c.tasks.submitLabels.mutate({ taskId: task.id, labels }));
          } else if (payload.type === "rank_assistant_replies" || payload.type === "rank_prompter_replies") {
            const ranked = payload.replies.map((reply) => reply.id);
            done = await call("tasks.submitRanking", (c) => c.tasks.submitRanking.mutate({ taskId: task.id, rankedMessageIds: ranked }));
          }
          if (done !== undefined) accepted.push(task.id);
        }
      }
      // About 6 tasks a minute each: under the original's 30 task requests per 4 minutes.
      await pause(8_000 + random() * 4_000);
    }
  }

  const chat = { asked: 0, complete: 0, failed: 0, unfinished: 0 };
  async function chatter(index: number) {
    const call = clientFor(`chatter-${index}`);
    const random = randomFor(100 + index);
    while (running() && !(await call("users.acceptTos", (c) => c.users.acceptTos.mutate()))) await sleep(500);
    while (running()) {
      const created = await call("chat.create", (c) => c.chat.create.mutate());
      const chatId = (created as { id?: string } | undefined)?.id;
      if (chatId) {
        const posted = await call("chat.postMessage", (c) => c.chat.postMessage.mutate({ chatId, parentId: null, content: "Hello from the soak", reply: { modelConfigName: "_lorem" } }));
        const replyId = posted?.reply?.id;
        if (replyId) {
          chat.asked++;
          const until = Math.min(Date.now() + 60_000, Math.max(deadline, Date.now()) + 15_000);
          let state = "pending";
          while (Date.now() < until && (state === "pending" || state === "in_progress")) {
            await sleep(500);
            const detail = await call("chat.get", (c) => c.chat.get.query({ chatId }));
            state = detail?.messages.find((message) => message.id === replyId)?.state ?? state;
          }
          if (state === "complete") chat.complete++;
          else if (state === "pending" || state === "in_progress") chat.unfinished++;
          else chat.failed++;
        }
      }
      await pause(5_000 + random() * 5_000);
    }
  }

  async function moderator(index: number) {
    const call = clientFor(`moderator-${index}`);
    const random = randomFor(200 + index);
    while (running()) {
      const page = await call("moderation.messages", (c) => c.moderation.messages.query({ includeDeleted: true }));
      const live = page?.items.filter((message) => !message.deleted && message.parentId !== null) ?? [];
      const target = live[Math.floor(random() * live.length)];
      if (target && random() < 0.3) {
        await call("moderation.deleteMessage", (c) => c.moderation.deleteMessage.mutate({ messageId: target.id }));
        await sleep(1_000);
        await call("moderation.undeleteMessage", (c) => c.moderation.undeleteMessage.mutate({ messageId: target.id }));
      }
      await pause(4_000 + random() * 2_000);
    }
  }

  async function faultInjector() {
    let next: FaultRecord["kind"] = "kill";
    while (running()) {
      await sleep(Math.min(options.faultEverySeconds * 1_000, Math.max(0, deadline - Date.now() - 10_000)));
      if (!running() || deadline - Date.now() < 10_000) break;
      const at = Math.round((Date.now() - started) / 1000);
      if (pooled) {
        // Every server connection of the soak's database but the checker's: the pooler's and the LISTEN ones.
        const killed = await admin.db.execute<{ pid: number }>(sql`
          select pid from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and application_name <> 'oa-soak-admin'
            and pg_terminate_backend(pid)`);
        const detail = `pg_terminate_backend behind the pooler: ${killed.length} backends`;
        faults.push({ at, kind: "kill", detail });
        log(`[soak] ${at}s: killed connections (${detail})`);
      } else if (next === "kill") {
        let detail: string;
        if (!database.label.startsWith("embedded")) {
          const killed = (await terminateBackends(admin.db, "oa-soak-app")) + (await terminateBackends(admin.db, "oa-soak-worker"));
          detail = `pg_terminate_backend: ${killed} backends`;
        } else {
          proxy.cut();
          detail = "all connections cut at the proxy";
        }
        faults.push({ at, kind: "kill", detail });
        log(`[soak] ${at}s: killed connections (${detail})`);
        next = "refuse";
      } else {
        await proxy.refuse();
        log(`[soak] ${at}s: database refusing connections for 5 s`);
        await sleep(5_000);
        await proxy.accept();
        faults.push({ at, kind: "refuse", detail: "5 s of refused connections" });
        next = "kill";
      }
    }
  }

  log(`[soak] ${options.minutes} min on ${database.label}: ${options.contributors} contributors, ${options.chatters} chat users, ${options.moderators} moderators; a fault every ${options.faultEverySeconds} s`);
  const progress = setInterval(() => {
    const total = [...outcomes.values()].reduce((sum, n) => sum + n, 0);
    log(`[soak] ${Math.round((Date.now() - started) / 1000)}s: ${total} requests, ${JSON.stringify(Object.fromEntries(outcomes))}`);
  }, 30_000);
  await Promise.all([
    ...Array.from({ length: options.contributors }, (_, index) => contributor(index)),
    ...Array.from({ length: options.chatters }, (_, index) => chatter(index)),
    ...Array.from({ length: options.moderators }, (_, index) => moderator(index)),
    faultInjector(),
  ]);
  clearInterval(progress);
  const durationSeconds = Math.round((Date.now() - started) / 1000);

  // Settle, then look at what is stored, directly (not through the proxy).
  await worker.stop(5_000);
  const ids = accepted;
  const stored = new Set<string>();
  for (let offset = 0; offset < ids.length; offset += 1000) {
    const slice = ids.slice(offset, offset + 1000);
    for (const row of await admin.db.select({ id: messages.taskId }).from(messages).where(inArray(messages.taskId, slice))) stored.add(row.id!);
    for (const row of await admin.db.select({ id: textLabels.taskId }).from(textLabels).where(inArray(textLabels.taskId, slice))) stored.add(row.id!);
    for (const row of await admin.db.select({ id: messageReactions.taskId }).from(messageReactions).where(inArray(messageReactions.taskId, slice))) stored.add(row.id);
  }
  const { checkInvariants, formatInvariantReport } = await import("../src/server/domain/invariants/check-invariants");
  const report = await checkInvariants(admin.db);

  await new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.all([app.close(), workerPool.close()]);
  await mock.close();
  await proxy.close();
  await admin.close();
  await database.drop();

  const byProcedure = Object.fromEntries(
    [...latencies].sort(([a], [b]) => a.localeCompare(b)).map(([name, entry]) => {
      const sorted = [...entry.ms].sort((a, b) => a - b);
      return [name, { calls: entry.calls, ok: entry.ok, p50Ms: Math.round(percentile(sorted, 50)), p95Ms: Math.round(percentile(sorted, 95)) }];
    }),
  );
  const { log: _log, database: _database, ...shownOptions } = options;
  return {
    options: shownOptions,
    database: pooled ? `${database.label} through a transaction-mode pooler at ${new URL(pooled.url).host} (app and worker pools: prepare off, no session settings; LISTEN on the server directly)` : database.label,
    durationSeconds,
    requests: [...outcomes.values()].reduce((sum, n) => sum + n, 0),
    outcomes: Object.fromEntries([...outcomes].sort(([, a], [, b]) => b - a)),
    byProcedure,
    faults,
    acceptedSubmissions: ids.length,
    lostSubmissions: ids.filter((id) => !stored.has(id)).length,
    chatReplies: chat,
    invariantViolations: report.violations,
    invariantReport: formatInvariantReport(report),
    untypedErrors: [...outcomes].filter(([kind]) => kind.startsWith("untyped")).reduce((sum, [, n]) => sum + n, 0),
    wakeups,
  };
}

export function soakMarkdown(result: SoakResult): string {
  const pct = (n: number) => `${((100 * n) / Math.max(1, result.requests)).toFixed(2)}%`;
  const lines = [
    `## Soak: ${result.options.minutes} min of mixed load with database faults`,
    "",
    `Run ${new Date().toISOString()} with \`npx tsx bench/soak.ts --minutes ${result.options.minutes} --fault-every ${result.options.faultEverySeconds}${result.options.seed === undefined ? "" : ` --seed ${result.options.seed}`}${result.options.poolerUrl ? ` --pooler-url ${result.options.poolerUrl}` : ""}\` on ${result.database}, ${cpus().length} cores; app, database, worker, mock model server and load generator on the same machine. The app's tRPC route runs on a plain Node HTTP server (the same handler as the Next.js route), callers are API clients acting for their users.`,
    "",
    `Load: ${result.options.contributors} contributors (random tasks, ~6 a minute each: the task-request rate limit), ${result.options.chatters} chat users (a prompt, then polling until the reply ends), ${result.options.moderators} moderator(s) (message list, delete/undelete). Faults: ${result.faults.length} (${result.faults.map((fault) => `${fault.at}s ${fault.kind}`).join(", ") || "none"}).`,
    "",
    "| measure | value |",
    "|---|---|",
    `| duration | ${result.durationSeconds} s |`,
    `| requests | ${result.requests} |`,
    ...Object.entries(result.outcomes).map(([kind, n]) => `| ${kind} | ${n} (${pct(n)}) |`),
    `| untyped errors (must be 0) | ${result.untypedErrors} |`,
    `| accepted submissions | ${result.acceptedSubmissions} |`,
    `| lost submissions (must be 0) | ${result.lostSubmissions} |`,
    `| queue wake-ups of the app's pool | ${result.wakeups} |`,
    `| chat replies asked / complete / failed / unfinished | ${result.chatReplies.asked} / ${result.chatReplies.complete} / ${result.chatReplies.failed} / ${result.chatReplies.unfinished} |`,
    `| invariant violations (must be 0) | ${result.invariantViolations} |`,
    "",
    "| procedure | calls | ok | p50 ms | p95 ms |",
    "|---|---|---|---|---|",
    ...Object.entries(result.byProcedure).map(([name, entry]) => `| ${name} | ${entry.calls} | ${entry.ok} | ${entry.p50Ms} | ${entry.p95Ms} |`),
    "",
    "```",
    result.invariantReport,
    "```",
    "",
  ];
  return lines.join("\n");
}

async function main() {
  const { values } = parseArgs({
    options: {
      minutes: { type: "string", default: "2" },
      "fault-every": { type: "string" },
      contributors: { type: "string", default: "24" },
      chatters: { type: "string", default: "3" },
      moderators: { type: "string", default: "1" },
      port: { type: "string", default: "3221" },
      out: { type: "string", default: "bench/RESULTS-soak.md" },
      seed: { type: "string" },
      "pooler-url": { type: "string" },
    },
  });
  const minutes = Number(values.minutes);
  const result = await runSoak({
    minutes,
    // "Every few minutes" on a long run; several faults even in a short one.
    faultEverySeconds: Number(values["fault-every"] ?? Math.min(180, Math.max(20, Math.round((minutes * 60) / 6)))),
    contributors: Number(values.contributors),
    chatters: Number(values.chatters),
    moderators: Number(values.moderators),
    port: Number(values.port),
    seed: values.seed === undefined ? undefined : Number(values.seed),
    poolerUrl: values["pooler-url"],
  });
  const markdown = soakMarkdown(result);
  writeFileSync(values.out!, `# Soak results\n\n${markdown}`);
  console.log(markdown);
  const sound = result.invariantViolations === 0 && result.lostSubmissions === 0 && result.untypedErrors === 0;
  process.exit(sound ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
