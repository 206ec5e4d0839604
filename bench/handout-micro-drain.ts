/**
 * How the cost of one `random` hand-out moves as a campaign's open work fills up with reservations (issue 15, the
 * open loop of bench/load.ts): `npx tsx bench/handout-micro-drain.ts --db=postgres://…/copy [--requests=600]
 * [--window=50]` against a COPY of a seeded database (bench/seed-scale.ts; it leaves tasks behind). Calls
 * `requestTask` directly, one request at a time, each by another user (as the load benchmark's round robin does),
 * never answering them: every request reserves a target until it expires, as the request-only figures of the load
 * benchmark do. Prints, per window of requests, p50/p95 of the hand-out next to a `select 1` floor measured in the
 * same window, and which types it handed out (or `none`).
 */
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { connectDatabase } from "../src/server/db/client";
import { AppError } from "../src/server/errors";
import { requestTask } from "../src/server/domain/tasks/request-task";
import { loadTreeManagerConfig } from "../src/server/domain/trees/config";
import { defaultTreeDeps } from "../src/server/domain/trees/deps";
import { quantile } from "./load-stats";
import { flag } from "./cli-flags";

const url = flag("db", process.env.DATABASE_URL ?? "");
const requests = Number(flag("requests", "600"));
const window = Number(flag("window", "50"));
const offset = Number(flag("offset", "0"));
if (!url) {
  console.error("Pass --db=<a copy of a seeded database>.");
  process.exit(2);
}

const { db, close } = connectDatabase(url, { max: 1 });
const deps = defaultTreeDeps(loadTreeManagerConfig(process.env));
const users = (await db.execute<{ id: string }>(sql`
  select id from users where tos_acceptance_date is not null and enabled and not deleted and role = 'general'
  order by id offset ${offset} limit ${requests}`)).map((r) => r.id);

console.log(`[drain] ${users.length} requests, one user each; load average ${loadavg()[0]!.toFixed(1)}`);
console.log("| requests | hand-out p50 ms | p95 ms | select 1 p50 ms | ratio p50 | handed out |");
console.log("|---|---|---|---|---|---|");
for (let from = 0; from < users.length; from += window) {
  const times: number[] = [];
  const floors: number[] = [];
  const types: Record<string, number> = {};
  for (const userId of users.slice(from, from + window)) {
    let began = performance.now();
    await db.execute(sql`select 1`);
    floors.push(performance.now() - began);
    began = performance.now();
    try {
      const task = await requestTask(db, { userId, apiClientId: null }, { type: "random", lang: "en" }, deps);
      types[task.type] = (types[task.type] ?? 0) + 1;
    } catch (error) {
      const code = error instanceof AppError ? error.code : (error as Error).message;
      types[code] = (types[code] ?? 0) + 1;
    }
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  floors.sort((a, b) => a - b);
  const p50 = quantile(times, 0.5);
  const floor = quantile(floors, 0.5);
  console.log(`| ${from + 1}–${from + times.length} | ${p50.toFixed(1)} | ${quantile(times, 0.95).toFixed(1)} | ${floor.toFixed(2)} | ` +
    `${(p50 / floor).toFixed(0)} | ${Object.entries(types).map(([k, v]) => `${k} ${v}`).join(", ")} |`);
}
await close();
