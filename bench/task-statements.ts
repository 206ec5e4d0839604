import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { type Database, databaseSettingsFromEnv, driverOptions } from "../src/server/db/client";
import * as schema from "../src/server/db/schema";
import type { TaskDto, TaskRequestType } from "../src/server/domain/tasks/types";
import type { TreeDeps } from "../src/server/domain/trees/deps";
import { callerFor, createTestUser } from "../src/test/factories";
import { goldItemsMayExist } from "../src/server/domain/quality/gold";

/**
 * What one call costs the database, counted rather than timed (issue 15: the task round trip's throughput is
 * bounded by its sequential statements, each a network round trip and CPU in postgres.js and the server).
 * Every statement the driver sends is counted, including `begin`, `savepoint`, `release`/`rollback to` and
 * `commit`: postgres.js sends each as its own round trip.
 */
export type StatementCount = { statements: number; transactions: number; savepoints: number };

export type CountingConnection = {
  db: Database;
  /** Runs `work` and returns what it sent to the database (calls must not overlap). */
  count: <T>(work: () => Promise<T>) => Promise<{ result: T; cost: StatementCount }>;
  close: () => Promise<void>;
};

/** A pool like the app's (`connectDatabase`) whose driver reports every statement it sends. */
export function countingConnection(url: string): CountingConnection {
  let current: StatementCount | null = null;
  // TASK_STATEMENTS_LOG=1 prints each counted statement, to see what a call sends.
  const client = postgres(url, {
    ...driverOptions({ ...databaseSettingsFromEnv(), max: 4 }),
    debug: (_connection, query) => {
      if (!current) return;
      current.statements++;
      if (process.env.TASK_STATEMENTS_LOG) console.log(`  sql: ${query.replace(/\s+/g, " ").slice(0, 160)}`);
      const head = query.trimStart().slice(0, 10).toLowerCase();
      if (head.startsWith("begin")) current.transactions++;
      else if (head.startsWith("savepoint")) current.savepoints++;
    },
  });
  const db = drizzle({ client, schema, casing: "snake_case" });
  return {
    db,
    count: async (work) => {
      current = { statements: 0, transactions: 0, savepoints: 0 };
      if (process.env.TASK_STATEMENTS_LOG) console.log("call:");
      try {
        const result = await work();
        return { result, cost: current };
      } finally {
        current = null;
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

export type RoundTripCosts = Record<string, StatementCount>;

/** The task types of one round trip each: `random` and every type the tree manager hands out. */
export const MEASURED_TYPES: TaskRequestType[] = [
  "random", "initial_prompt", "prompter_reply", "assistant_reply", "label_initial_prompt", "label_prompter_reply",
  "label_assistant_reply", "rank_assistant_replies", "rank_prompter_replies",
];

/**
 * Counts `health.session` (the authed floor) and, for each type, `tasks.request` → `tasks.ack` → the submit
 * procedure, each call by a fresh contributor so no earlier task of theirs changes what they are offered. The
 * database is expected to hold work of every type in `lang` (bench/seed-scale-data.ts); `deps` fixes the randomness.
 */
export async function measureRoundTrips(conn: CountingConnection, deps: TreeDeps, lang: string): Promise<RoundTripCosts> {
  const costs: RoundTripCosts = {};
  // Whether any gold item exists is remembered per process for 30 s (quality/gold.ts): one statement per 30 s, not
  // per request. It is asked once here, outside the counts, and counted on its own (`gold presence (cached)`).
  await goldItemsMayExist(conn.db);
  costs["gold presence (cached)"] = (await conn.count(() => goldItemsMayExist(conn.db))).cost;
  const floorUser = await createTestUser(conn.db, { name: "Floor" });
  costs["health.session"] = (await conn.count(() => callerFor(conn.db, floorUser.id, {}, deps).health.session())).cost;
  for (const type of MEASURED_TYPES) {
    const user = await createTestUser(conn.db, { name: `Counter ${type}` });
    const caller = callerFor(conn.db, user.id, {}, deps);
    const request = await conn.count(() => caller.tasks.request({ type, lang }));
    const task: TaskDto = request.result;
    costs[`${type}: tasks.request (got ${task.type})`] = request.cost;
    costs[`${type}: tasks.ack`] = (await conn.count(() => caller.tasks.ack({ taskId: task.id, frontendMessageId: crypto.randomUUID() }))).cost;
    const payload = task.payload;
    const submit = await conn.count(async () => {
      switch (payload.type) {
        case "initial_prompt":
        case "prompter_reply":
        case "assistant_reply":
          return caller.tasks.submitReply({ taskId: task.id, text: `Counted reply to a ${type} task ${crypto.randomUUID()}` });
        case "label_initial_prompt":
        case "label_prompter_reply":
        case "label_assistant_reply":
          return caller.tasks.submitLabels({ taskId: task.id, labels: Object.fromEntries(payload.validLabels.map((name) => [name, 0])) });
        case "rank_assistant_replies":
        case "rank_prompter_replies":
          return caller.tasks.submitRanking({ taskId: task.id, rankedMessageIds: payload.replies.map((reply) => reply.id).sort() });
      }
    });
    const procedure = payload.type.startsWith("label") ? "submitLabels" : payload.type.startsWith("rank") ? "submitRanking" : "submitReply";
    costs[`${type}: tasks.${procedure}`] = submit.cost;
  }
  return costs;
}

/** The counts as a markdown table. */
export function costTable(costs: RoundTripCosts): string {
  const rows = Object.entries(costs).map(([call, c]) => `| ${call} | ${c.statements} | ${c.transactions} | ${c.savepoints} |`);
  return ["| call | statements | transactions | savepoints |", "|---|---|---|---|", ...rows].join("\n");
}
