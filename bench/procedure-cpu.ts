/**
 * What each call of the task round trip costs the app's own code, without Next and without HTTP: the tRPC handler
 * (`handleTrpcHttpRequest`, the same function the route runs) called in this process with real `Request`s, phase by
 * phase over the same tasks (every request first, then every acknowledgement, then every submit), CPU per call from
 * `process.cpuUsage()` next to the floors measured in the same run:
 *
 *   AUTH_SECRET=… npx tsx bench/procedure-cpu.ts --db=postgres://…/oa_run [--users=800] [--type=random] [--lang=en]
 *     [--concurrency=10] [--out=bench/results/x.md]
 *
 * Issue 15's round-trip target is a ratio to the authed no-op through Next, where every call also pays Next's request
 * path; this says how much of a call is the procedure's own work, which is what that ratio leaves to it. To see where
 * it goes, run it under `node --cpu-prof --import tsx bench/procedure-cpu.ts … --windows=/tmp/windows.json`: the
 * profile then names every function (the app's code is not bundled), and the windows file gives each phase's start and
 * end on the profile's clock (microseconds, `process.hrtime`), which `bench/profile-phases.ts` uses to split the samples
 * by phase. The users are contributors of the database (`bench/seed-scale.ts`), each asking once, so no per-user
 * rate limit is reached.
 */
import { writeFileSync } from "node:fs";
import postgres from "postgres";
import superjson from "superjson";
import { handleTrpcHttpRequest } from "../src/server/api/http-handler";
import { createTRPCContext } from "../src/server/api/trpc";
import { connectDatabase, type Database } from "../src/server/db/client";
import type { TaskDto, TaskRequestType } from "../src/server/domain/tasks/types";
import { benchAnswer } from "./task-round-trip";
import { flag } from "./cli-flags";

export type PhaseFigure = { name: string; calls: number; ok: number; cpuMsPerCall: number; wallMsPerCall: number; startUs: number; endUs: number };

/** One call through the tRPC handler as `userId`: a query by GET, a mutation by POST, as the typed client sends them. */
async function call(db: Database, path: string, userId: string, input: unknown, method: "GET" | "POST"): Promise<unknown> {
  const body = input === undefined ? undefined : JSON.stringify(superjson.serialize(input));
  const query = method === "GET" && body !== undefined ? `?input=${encodeURIComponent(body)}` : "";
  const request = new Request(`http://localhost/api/trpc/${path}${query}`, {
    method,
    headers: { "content-type": "application/json", ...(method === "POST" && body ? { "content-length": String(Buffer.byteLength(body)) } : {}) },
    body: method === "POST" ? body : undefined,
  });
  const response = await handleTrpcHttpRequest(request, {
    createContext: async (req) => createTRPCContext({ db, headers: req.headers, sessionUserId: userId }),
  });
  const answer = (await response.json()) as { result?: { data: Parameters<typeof superjson.deserialize>[0] }; error?: { json?: { message?: string } } };
  if (!answer.result) throw new Error(answer.error?.json?.message ?? `${path} failed (${response.status})`);
  return superjson.deserialize(answer.result.data);
}

/** Runs `operation` over `items`, `concurrency` at a time, and reads the process's CPU around it. */
async function phase<T>(name: string, items: readonly T[], concurrency: number, operation: (item: T) => Promise<unknown>) {
  const results: unknown[] = new Array(items.length).fill(null);
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await operation(items[index]!).catch(() => null);
    }
  }));
  const cpu = process.cpuUsage(cpuBefore);
  const figure: PhaseFigure = {
    name, calls: items.length, ok: results.filter((result) => result !== null).length,
    cpuMsPerCall: (cpu.user + cpu.system) / 1000 / Math.max(1, items.length), wallMsPerCall: (performance.now() - began) / Math.max(1, items.length),
    startUs, endUs: Number(process.hrtime.bigint() / 1000n),
  };
  return { figure, results };
}

/**
 * The floors (`health.ping`, `health.session`, twice as many calls as users), then `tasks.request` once per user,
 * `tasks.ack` for every task handed out, and the submits; a warm-up round of `health.session` first.
 */
export async function measureProcedureCpu(
  db: Database,
  userIds: readonly string[],
  options: { type?: TaskRequestType; lang?: string; concurrency?: number } = {},
): Promise<PhaseFigure[]> {
  const { type = "random", lang = "en", concurrency = 10 } = options;
  const twice = [...userIds, ...userIds];
  await phase("warm-up", twice, concurrency, (userId) => call(db, "health.session", userId, undefined, "GET"));
  const figures: PhaseFigure[] = [];
  figures.push((await phase("health.ping", twice, concurrency, (userId) => call(db, "health.ping", userId, undefined, "GET"))).figure);
  figures.push((await phase("health.session", twice, concurrency, (userId) => call(db, "health.session", userId, undefined, "GET"))).figure);
  const requested = await phase(`tasks.request (${type})`, userIds, concurrency, (userId) => call(db, "tasks.request", userId, { type, lang }, "POST"));
  figures.push(requested.figure);
  const handedOut = userIds.flatMap((userId, i) => (requested.results[i] ? [{ userId, task: requested.results[i] as TaskDto }] : []));
  figures.push((await phase("tasks.ack", handedOut, concurrency, ({ userId, task }) =>
    call(db, "tasks.ack", userId, { taskId: task.id, frontendMessageId: crypto.randomUUID() }, "POST"))).figure);
  figures.push((await phase("submit", handedOut, concurrency, ({ userId, task }) => {
    const answer = benchAnswer(task);
    return call(db, `tasks.${answer.procedure}`, userId, answer.input, "POST");
  })).figure);
  return figures;
}

export function figureTable(figures: readonly PhaseFigure[]): string {
  const floor = figures.find((figure) => figure.name === "health.session");
  const rows = figures.map((figure) =>
    `| ${figure.name} | ${figure.calls} | ${figure.ok} | ${figure.cpuMsPerCall.toFixed(3)} | ${floor ? `${(figure.cpuMsPerCall / floor.cpuMsPerCall).toFixed(2)}×` : ""} | ${figure.wallMsPerCall.toFixed(3)} |`);
  return ["| call (in process, no Next) | calls | ok | CPU ms per call | ÷ `health.session` | wall ms per call |", "|---|---|---|---|---|---|", ...rows].join("\n");
}

async function main() {
  const dbUrl = flag("db", process.env.DATABASE_URL);
  if (!dbUrl) {
    console.error("Usage: bench/procedure-cpu.ts --db=<database URL> [--users=800] [--type=random] [--lang=en] [--concurrency=10] [--out=file] [--windows=file]");
    process.exit(2);
  }
  const users = Number(flag("users", "800"));
  const lang = flag("lang", "en")!;
  const admin = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const rows = await admin<{ id: string }[]>`
    select id from users where tos_acceptance_date is not null and enabled and not deleted and role = 'general' order by random() limit ${users}`;
  await admin.end();
  const { db, close } = connectDatabase(dbUrl, { max: 10 });
  const figures = await measureProcedureCpu(db, rows.map((row) => row.id), {
    type: flag("type", "random") as TaskRequestType, lang, concurrency: Number(flag("concurrency", "10")),
  });
  await close();
  const section = `## Procedure CPU in process — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC\n\n${rows.length} contributors, ` +
    `${lang}, ${flag("concurrency", "10")} calls at a time; CPU of this process (the handler, the driver and the calls' own \`Request\`s).\n\n${figureTable(figures)}\n`;
  console.log(section);
  const out = flag("out");
  if (out) writeFileSync(out, section);
  const windows = flag("windows");
  if (windows) writeFileSync(windows, JSON.stringify(figures.map(({ name, calls, startUs, endUs }) => ({ name, calls, startUs, endUs }))));
}

if (process.argv[1]?.endsWith("procedure-cpu.ts")) await main();
