/**
 * Two builds of the app, compared on the app process's CPU per request (for changes too small for the load
 * benchmark's run-to-run spread, which on a shared 2-core machine is ±15 % per figure):
 *
 *   npx tsx bench/ab-builds.ts --a=/path/to/baseline --b=. --db=postgres://…/oa_run [--rounds=8] [--requests=1500]
 *     [--out=bench/results/x.md]
 *
 * Each directory is a checkout with `node_modules` and a build (`npm run build`). Both run `next start` at once, on
 * ports 3301 and 3302, against the same database, with the job scheduler off; only one is sent requests at a time.
 * Per round, every request kind goes to A, then to B: `--requests` calls, 10 at a time, as one signed-in contributor,
 * and the CPU of that app's process group is read from /proc around them. The figures are the medians over the rounds,
 * each next to the same build's floor (`health.ping`) in the same run.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { type NextApp, sessionCookie, startNextApp } from "./next-app";
import { readCpu } from "./process-cpu";

const flag = (name: string, fallback?: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const dirs = { A: path.resolve(flag("a", "")!), B: path.resolve(flag("b", ".")!) };
const dbUrl = flag("db", process.env.DATABASE_URL);
const rounds = Number(flag("rounds", "8"));
const requests = Number(flag("requests", "1500"));
const out = flag("out");
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
const [user] = await sql<{ id: string }[]>`
  select id from users where tos_acceptance_date is not null and enabled and not deleted and role = 'general' order by id limit 1`;
const [tree] = await sql<{ id: string }[]>`select message_tree_id as id from message_tree_states where state = 'ready_for_export' limit 1`;
await sql.end();
if (!user || !tree) throw new Error("The database has no contributor or no finished tree: seed it (bench/seed-scale.ts).");
const cookie = await sessionCookie(user.id, secret, "http://127.0.0.1");

const input = (value: unknown) => `?input=${encodeURIComponent(JSON.stringify({ json: value }))}`;
/** The floor first; then a small answer behind the session, and one over the compression threshold. */
const KINDS: Record<string, string> = {
  "floor: health.ping": "health.ping",
  "health.session (authed no-op)": "health.session",
  "messages.tree (a finished tree)": `messages.tree${input({ messageId: tree.id })}`,
};

/** `count` GETs of `procedure`, 10 at a time, like a browser sending gzip-capable requests. */
async function send(app: App, procedure: string, count: number): Promise<void> {
  let sent = 0;
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (sent++ < count) {
      const response = await fetch(`${app.origin}/api/trpc/${procedure}`, { headers: { cookie, "accept-encoding": "gzip" } });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${app.name} ${procedure}: HTTP ${response.status}`);
    }
  }));
}

const apps = [await startApp("A", 3301), await startApp("B", 3302)];
for (const app of apps) for (const procedure of Object.values(KINDS)) await send(app, procedure, 300); // warm-up
const samples = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  for (const [kind, procedure] of Object.entries(KINDS)) {
    for (const app of apps) {
      const before = readCpu([app.processGroup])!;
      await send(app, procedure, requests);
      const after = readCpu([app.processGroup])!;
      const key = `${kind}|${app.name}`;
      samples.set(key, [...(samples.get(key) ?? []), (after.app - before.app) / requests]);
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cpu = (kind: string, app: App) => median(samples.get(`${kind}|${app.name}`)!);
const [a, b] = apps as [App, App];
const floor = Object.keys(KINDS)[0]!;
const rows = Object.keys(KINDS).map((kind) => {
  const ratio = kind === floor ? "" : ` (${(cpu(kind, a) / cpu(floor, a)).toFixed(2)}× · ${(cpu(kind, b) / cpu(floor, b)).toFixed(2)}× its floor)`;
  return `| ${kind} | ${cpu(kind, a).toFixed(3)} | ${cpu(kind, b).toFixed(3)} | ${((cpu(kind, b) / cpu(kind, a) - 1) * 100).toFixed(1)} %${ratio} |`;
});
const report = [
  `## A/B of two builds: app CPU per request — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
  "",
  `A = ${a.dir}, B = ${b.dir}; ${rounds} rounds of ${requests} requests per kind and build, 10 at a time, alternating A and B; medians of the rounds. CPU ms per request of the app process group (/proc).`,
  "",
  "| request | A ms | B ms | B vs A (each ÷ the same build's floor) |",
  "|---|---|---|---|",
  ...rows,
  "",
  `All rounds (A · B): ${Object.keys(KINDS).map((kind) => `${kind}: ${samples.get(`${kind}|A`)!.map((v) => v.toFixed(2)).join(" ")} · ${samples.get(`${kind}|B`)!.map((v) => v.toFixed(2)).join(" ")}`).join("; ")}.`,
  "",
].join("\n");
console.log(report);
if (out) writeFileSync(out, report);
process.exit(0);
