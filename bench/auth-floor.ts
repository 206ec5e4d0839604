/**
 * The cost of "who is calling" (issue 15 item 4): what every authed request pays before its own work — the Auth.js
 * session (JWT cookie decoded by Auth.js) plus the user row — against `select 1` on the same pool, in one run.
 *
 *   npx tsx bench/auth-floor.ts [--seconds 4] [--concurrency 10]
 *   (DATABASE_URL: a PostgreSQL server, default postgres://postgres@127.0.0.1:5432/postgres; a fresh database
 *    `oa_bench_auth` is created on it)
 *
 * Variants: `select 1`; the authed no-op with the Auth.js configuration built per request (how the app did it
 * before: `NextAuth(() => buildAuthConfig())`); and as the app does it now (built once per process). Closed loop,
 * `--concurrency` callers, after a warm-up, in short interleaved rounds (medians), reporting throughput and the
 * app process's CPU time per call (robust against other load on the machine). Results are appended to
 * bench/auth-floor.results.md.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import postgres from "postgres";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "4" }, concurrency: { type: "string", default: "10" } } });
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const dbName = "oa_bench_auth";

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
await admin.unsafe(`create database "${dbName}"`);
await admin.end();
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
process.env.DATABASE_URL = url.toString();
process.env.AUTH_SECRET = randomBytes(32).toString("base64");
process.env.AUTH_DEV_LOGIN = "true";
process.env.DATABASE_POOL_SIZE = String(concurrency);

// Imported only now: the app's modules read the environment set above.
const { migrateDatabase } = await import("../src/server/db/migrate");
await migrateDatabase(process.env.DATABASE_URL);
const { sql } = await import("drizzle-orm");
const { default: NextAuth } = await import("next-auth");
const { encode } = await import("next-auth/jwt");
const { NextRequest } = await import("next/server");
const { getDatabase } = await import("../src/server/db");
const { users } = await import("../src/server/db/schema");
const { findUserById } = await import("../src/server/domain/users/queries");
const { buildAuthConfig } = await import("../src/server/auth/config");
const app = await import("../src/server/auth");
const { readSessionUserId } = await import("../src/server/auth/session");

const db = getDatabase();
const [user] = await db.insert(users).values({ name: "Bench", tosAcceptanceDate: new Date() }).returning();
const cookieName = "authjs.session-token";
const token = await encode({ token: { sub: user!.id, name: "Bench" }, secret: process.env.AUTH_SECRET, salt: cookieName });
const sessionRequest = () => new NextRequest("http://localhost:3230/api/auth/session", { headers: { cookie: `${cookieName}=${token}` } });

type SessionHandler = (req: InstanceType<typeof NextRequest>) => Promise<Response>;
function authedNoop(handler: SessionHandler) {
  return async () => {
    const response = await handler(sessionRequest());
    const session = (await response.json()) as { user?: { id?: string } } | null;
    if (session?.user?.id !== user!.id) throw new Error(`no session: ${JSON.stringify(session)}`);
    if (!(await findUserById(db, session.user.id))) throw new Error("no user row");
  };
}

const perRequest = NextAuth(() => buildAuthConfig());
const variants: [string, () => Promise<unknown>][] = [
  ["select 1", () => db.execute(sql`select 1`)],
  ["the user row alone (findUserById)", () => findUserById(db, user!.id)],
  ["the session cookie alone (readSessionUserId)", () => readSessionUserId(sessionRequest().headers)],
  ["authed no-op, config built per request (before)", authedNoop(perRequest.handlers.GET as SessionHandler)],
  ["authed no-op, config built once", authedNoop(app.handlers.GET as SessionHandler)],
  [
    "authed no-op, session cookie read directly (now)",
    async () => {
      const userId = await readSessionUserId(sessionRequest().headers);
      if (userId !== user!.id) throw new Error("no session");
      if (!(await findUserById(db, userId))) throw new Error("no user row");
    },
  ],
];

async function closedLoop(work: () => Promise<unknown>, durationMs: number) {
  let ops = 0;
  const cpuBefore = process.cpuUsage();
  const end = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await work();
        ops++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { rps: ops / (durationMs / 1000), cpuUsPerOp: (cpu.user + cpu.system) / ops };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
for (const [, work] of variants) await closedLoop(work, 1000); // warm-up: JIT, pool connections
// Short rounds, round-robin, so background load on the shared machine hits every variant alike; medians count.
const rounds = Math.max(3, Math.round((seconds * 1000) / 500));
const samples = variants.map(() => ({ rps: [] as number[], cpu: [] as number[] }));
for (let round = 0; round < rounds; round++) {
  for (const [index, [, work]] of variants.entries()) {
    const sample = await closedLoop(work, 500);
    samples[index]!.rps.push(sample.rps);
    samples[index]!.cpu.push(sample.cpuUsPerOp);
  }
}
const results = variants.map(([name], index) => ({ name, rps: median(samples[index]!.rps), cpuUsPerOp: median(samples[index]!.cpu) }));

const floor = results[0]!;
const rows = results.map(
  (r) =>
    `| ${r.name} | ${r.rps.toFixed(0)} | ${(floor.rps / r.rps).toFixed(1)}× | ${r.cpuUsPerOp.toFixed(0)} | ${(r.cpuUsPerOp / floor.cpuUsPerOp).toFixed(1)}× |`,
);
const report = [
  "",
  `## ${new Date().toISOString()} — ${concurrency} callers, ${rounds} interleaved rounds of 0.5 s per variant (medians), PostgreSQL`,
  "",
  "| variant | req/s | time vs `select 1` | app CPU µs/op | CPU vs `select 1` |",
  "|---|---|---|---|---|",
  ...rows,
  "",
].join("\n");
console.log(report);
appendFileSync("bench/auth-floor.results.md", report);
process.exit(0);
