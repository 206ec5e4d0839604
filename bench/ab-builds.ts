/**
 * Two builds of the app, compared on the app process's CPU per request (for changes too small for the load
 * benchmark's run-to-run spread, which on a shared 2-core machine is ±15 % per figure):
 *
 *   npx tsx bench/ab-builds.ts --a=/path/to/baseline --b=. --db=postgres://…/oa_run [--rounds=8] [--requests=1500]
 *     [--kinds=ping,session,tree,roundtrip] [--out=bench/results/x.md]
 *
 * Each directory is a checkout with `node_modules` and a build (`npm run build`). Both run `next start` at once, on
 * ports 3301 and 3302, against the same database, with the job scheduler off; only one is sent requests at a time.
 * Per round, every request kind goes to A, then to B: `--requests` calls, 10 at a time, as one signed-in contributor,
 * and the CPU of that app's process group is read from /proc around them. The figures are the medians over the rounds,
 * each next to the same build's floor (`health.ping`) in the same run. `roundtrip`: a fifth as many task round trips
 * (request → ack → submit, `random`, in English, as 200 contributors in turn, through the typed client as the web app
 * calls them); a round trip with no work for its user counts its request only.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { type NextApp, sessionCookie, startNextApp } from "./next-app";
import { readCpu } from "./process-cpu";
import { type BenchClient, benchClient, taskRoundTrip } from "./task-round-trip";
import { flag } from "./cli-flags";

const dirs = { A: path.resolve(flag("a", "")!), B: path.resolve(flag("b", ".")!) };
const dbUrl = flag("db", process.env.DATABASE_URL);
const rounds = Number(flag("rounds", "8"));
const requests = Number(flag("requests", "1500"));
const out = flag("out");
const chosenKinds = new Set(flag("kinds", "ping,session,tree")!.split(","));
if (!dbUrl || !flag("a")) {
  console.error("Usage: bench/ab-builds.ts --a=<baseline checkout> --b=<checkout> --db=<database URL>");
  process.exit(2);
}
const secret = `ab-builds-${crypto.randomUUID()}`;

type App = NextApp & { name: "A" | "B"; dir: string };

async function startApp(name: App["name"], port: number): Promise<App> {
  // No scheduled job shares the machine with the figures.
  const app = await startNextApp({ origin: `http://127.0.0.1:${port}`, dbUrl: dbUrl!, secret, cwd: dirs[name], env: { JOBS_SCHEDULER_DISABLED: "true" } });
  return { ...app, name, dir: dirs[name] };
}

const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
const contributors = await sql<{ id: string }[]>`
  select id from users where tos_acceptance_date is not null and enabled and not deleted and role = 'general' order by id limit 200`;
const [tree] = await sql<{ id: string }[]>`select message_tree_id as id from message_tree_states where state = 'ready_for_export' limit 1`;
await sql.end();
if (contributors.length === 0 || !tree) throw new Error("The database has no contributor or no finished tree: seed it (bench/seed-scale.ts).");
const cookies = await Promise.all(contributors.map((user) => sessionCookie(user.id, secret, "http://127.0.0.1")));
const cookie = cookies[0]!;

const input = (value: unknown) => `?input=${encodeURIComponent(JSON.stringify({ json: value }))}`;

/** One operation against an app; `weight`: how many of `--requests` a round sends of it (a round trip is ~5 calls). */
type Kind = { name: string; weight: number; call: (app: App) => Promise<void> };

/** A GET of a procedure, like a browser sending gzip-capable requests. */
const get = (procedure: string) => async (app: App) => {
  const response = await fetch(`${app.origin}/api/trpc/${procedure}`, { headers: { cookie, "accept-encoding": "gzip" } });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${app.name} ${procedure}: HTTP ${response.status}`);
};

const clients = new Map<string, BenchClient>();
let nextContributor = 0;

/** request → ack → submit of a `random` task in English (bench/task-round-trip.ts); no work counts the request only. */
async function roundTrip(app: App): Promise<void> {
  const userCookie = cookies[nextContributor++ % cookies.length]!;
  const key = `${app.origin} ${userCookie}`;
  if (!clients.has(key)) clients.set(key, benchClient(app.origin, userCookie));
  await taskRoundTrip(clients.get(key)!, "random").catch((error: Error) => {
    if (!error.message.includes("no task")) throw error;
  });
}

/** The floor first; then a small answer behind the session, one over the compression threshold, a task round trip. */
const ALL_KINDS: Record<string, Kind> = {
  ping: { name: "floor: health.ping", weight: 1, call: get("health.ping") },
  session: { name: "health.session (authed no-op)", weight: 1, call: get("health.session") },
  tree: { name: "messages.tree (a finished tree)", weight: 1, call: get(`messages.tree${input({ messageId: tree.id })}`) },
  roundtrip: { name: "task round trip (random)", weight: 0.2, call: roundTrip },
};
const KINDS = [ALL_KINDS.ping!, ...Object.entries(ALL_KINDS).filter(([key]) => key !== "ping" && chosenKinds.has(key)).map(([, kind]) => kind)];

/** `count` operations of `kind`, 10 at a time. */
async function send(app: App, kind: Kind, count: number): Promise<void> {
  let sent = 0;
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (sent++ < count) await kind.call(app);
  }));
}

const apps = [await startApp("A", 3301), await startApp("B", 3302)];
const countOf = (kind: Kind, total: number) => Math.max(1, Math.round(total * kind.weight));
for (const app of apps) for (const kind of KINDS) await send(app, kind, countOf(kind, 300)); // warm-up
const samples = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  for (const kind of KINDS) {
    for (const app of apps) {
      const count = countOf(kind, requests);
      const before = readCpu([app.processGroup])!;
      await send(app, kind, count);
      const after = readCpu([app.processGroup])!;
      const key = `${kind.name}|${app.name}`;
      samples.set(key, [...(samples.get(key) ?? []), (after.app - before.app) / count]);
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cpu = (kind: string, app: App) => median(samples.get(`${kind}|${app.name}`)!);
const [a, b] = apps as [App, App];
const names = KINDS.map((kind) => kind.name);
const floor = names[0]!;
const rows = names.map((kind) => {
  const ratio = kind === floor ? "" : ` (${(cpu(kind, a) / cpu(floor, a)).toFixed(2)}× · ${(cpu(kind, b) / cpu(floor, b)).toFixed(2)}× its floor)`;
  return `| ${kind} | ${cpu(kind, a).toFixed(3)} | ${cpu(kind, b).toFixed(3)} | ${((cpu(kind, b) / cpu(kind, a) - 1) * 100).toFixed(1)} %${ratio} |`;
});
const report = [
  `## A/B of two builds: app CPU per request — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
  "",
  `A = ${a.dir}, B = ${b.dir}; ${rounds} rounds of ${requests} requests per kind and build (a fifth as many round trips), 10 at a time, alternating A and B; medians of the rounds. CPU ms per request of the app process group (/proc).`,
  "",
  "| request | A ms | B ms | B vs A (each ÷ the same build's floor) |",
  "|---|---|---|---|",
  ...rows,
  "",
  `All rounds (A · B): ${names.map((kind) => `${kind}: ${samples.get(`${kind}|A`)!.map((v) => v.toFixed(2)).join(" ")} · ${samples.get(`${kind}|B`)!.map((v) => v.toFixed(2)).join(" ")}`).join("; ")}.`,
  "",
].join("\n");
console.log(report);
if (out) writeFileSync(out, report);
process.exit(0);
