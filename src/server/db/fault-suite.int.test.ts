/**
 * Fault suite (issue 12): contributors answering tasks through tRPC while the database misbehaves —
 * connections killed in the middle of submit transactions, the database refusing connections for a while, and two
 * app-like clients (two pools, one of them configured for a transaction-mode pooler) on one database. After each:
 * every invariant holds, no submission that was accepted is missing, and every error a contributor saw was typed.
 */
import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageReactions, messages, textLabels } from "@/server/db/schema";
import { checkInvariants, formatInvariantReport } from "@/server/domain/invariants/check-invariants";
import type { TaskDto } from "@/server/domain/tasks/types";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { Contributor } from "@/test/task-driver";
import { connectDatabase, type Database, type DatabaseConnection } from "./client";
import { startFaultProxy, type FaultProxy } from "./faults/proxy";
import { appCodeOf } from "./faults/settle";
import { terminateBackends } from "./faults/terminate";

const onPostgres = Boolean(process.env.DATABASE_URL);
const t = setupTestDatabase();
const opened: DatabaseConnection[] = [];
let proxy: FaultProxy;

/** Small trees so a few seconds of work moves trees through every state. */
const deps = () => testTreeDeps({ goalTreeSize: 4, numReviewsInitialPrompt: 1, numReviewsReply: 1, numRequiredRankings: 1, maxChildrenCount: 2, maxTreeDepth: 3, pLonelyChildExtension: 0 }, Math.floor(Math.random() * 1e9));

function appPool(url: string, options: Parameters<typeof connectDatabase>[1] = {}) {
  const applicationName = `oa-suite-${randomUUID().slice(0, 8)}`;
  const pool = connectDatabase(url, { max: 4, connectTimeoutSeconds: 2, applicationName, ...options });
  opened.push(pool);
  return { ...pool, applicationName };
}

beforeAll(async () => {
  proxy = await startFaultProxy(t.url);
});

afterAll(async () => {
  await Promise.all(opened.map((pool) => pool.close()));
  await proxy?.close();
});

type Accepted = { taskId: string; type: TaskDto["type"] };
type WorkloadResult = { accepted: Accepted[]; errors: Map<string, number>; calls: number };

/** Contributors (on the given pools, round robin) requesting and completing random tasks until `stop()` resolves. */
async function runContributors(pools: Database[], count: number, lang: string, until: Promise<void>): Promise<WorkloadResult> {
  const treeDeps = deps();
  const contributors = await Promise.all(Array.from({ length: count }, (_, index) => Contributor.create(t.db, treeDeps, `Fault ${lang} ${index}`)));
  const onPool = contributors.map((contributor, index) => new Contributor(contributor.id, contributor.name, pools[index % pools.length]!, treeDeps));
  let stopped = false;
  void until.then(() => (stopped = true));
  const result: WorkloadResult = { accepted: [], errors: new Map(), calls: 0 };
  const note = (error: unknown) => {
    const code = appCodeOf(error);
    result.errors.set(code, (result.errors.get(code) ?? 0) + 1);
  };
  await Promise.all(
    onPool.map(async (contributor) => {
      // As the task page does: a task whose acknowledgement or answer failed with "try again" (503) is kept and
      // answered again (the same acknowledgement id, so repeating it is a no-op), not abandoned for a new one. A
      // contributor who abandoned a task at every fault ran into their pending limit and the request rate limit
      // under load and made no progress even after the faults stopped (0 accepted in CI with a loaded machine,
      // with and without the current hand-out).
      let held: { task: TaskDto; frontendMessageId: string } | null = null;
      while (!stopped) {
        result.calls++;
        try {
          held ??= { task: await contributor.request("random", lang), frontendMessageId: randomUUID() };
          await contributor.ack(held.task, held.frontendMessageId);
          await contributor.submit(held.task);
          result.accepted.push({ taskId: held.task.id, type: held.task.type });
          held = null;
        } catch (error) {
          note(error);
          if (appCodeOf(error) !== "SERVICE_UNAVAILABLE") held = null;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }),
  );
  return result;
}

/** Submissions the callers were told succeeded and that are not in the database. */
async function lostSubmissions(accepted: Accepted[]): Promise<Accepted[]> {
  const ids = accepted.map((entry) => entry.taskId);
  if (ids.length === 0) return [];
  const stored = new Set<string>();
  for (const row of await t.db.select({ taskId: messages.taskId }).from(messages).where(inArray(messages.taskId, ids))) stored.add(row.taskId!);
  for (const row of await t.db.select({ taskId: textLabels.taskId }).from(textLabels).where(inArray(textLabels.taskId, ids))) stored.add(row.taskId!);
  for (const row of await t.db.select({ taskId: messageReactions.taskId }).from(messageReactions).where(inArray(messageReactions.taskId, ids))) stored.add(row.taskId);
  return accepted.filter((entry) => !stored.has(entry.taskId));
}

async function expectSound(result: WorkloadResult) {
  const untyped = [...result.errors.keys()].filter((code) => !/^[A-Z_]+$/.test(code));
  expect(untyped, `untyped errors: ${JSON.stringify([...result.errors])}`).toEqual([]);
  expect(await lostSubmissions(result.accepted)).toEqual([]);
  const report = await checkInvariants(t.db);
  expect(report.ok, formatInvariantReport(report)).toBe(true);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("contributors answering tasks while the database misbehaves", () => {
  it("connections killed in the middle of submit transactions", async () => {
    const pool = appPool(onPostgres ? t.url : proxy.url);
    let kills = 0;
    const killing = (async () => {
      await sleep(300);
      const until = Date.now() + 3_000;
      while (Date.now() < until) {
        // Real PostgreSQL: kill the backends; the embedded server: cut the connections at the proxy.
        if (onPostgres) kills += await terminateBackends(t.db, pool.applicationName);
        else {
          proxy.cut();
          kills++;
        }
        await sleep(40 + Math.random() * 80);
      }
      await sleep(1_000); // then a quiet second: the pool must serve again by itself
    })();
    const result = await runContributors([pool.db], 6, "fa", killing);
    console.info(`[fault-suite] killed ${kills} connections; ${result.accepted.length} submissions accepted of ${result.calls} attempts; errors ${JSON.stringify([...result.errors])}`);
    expect(kills).toBeGreaterThan(5);
    expect(result.accepted.length).toBeGreaterThan(2);
    expect(result.errors.get("SERVICE_UNAVAILABLE") ?? 0).toBeGreaterThan(0);
    await expectSound(result);
  });

  it("the database refusing connections for two seconds", async () => {
    const pool = appPool(proxy.url);
    const outage = (async () => {
      await sleep(800);
      await proxy.refuse();
      await sleep(2_000);
      await proxy.accept();
      await sleep(1_500);
    })();
    const result = await runContributors([pool.db], 6, "he", outage);
    console.info(`[fault-suite] refusal: ${result.accepted.length} accepted of ${result.calls}; errors ${JSON.stringify([...result.errors])}`);
    expect(result.errors.get("SERVICE_UNAVAILABLE") ?? 0).toBeGreaterThan(0);
    await expectSound(result);
    // Served again after the outage: a fresh contributor completes a task.
    const after = await runContributors([pool.db], 1, "he", sleep(500));
    expect(after.accepted.length).toBeGreaterThan(0);
  });

  it("two app processes (two pools, one set up for a transaction-mode pooler) on one database, one losing its connections", async () => {
    const first = appPool(onPostgres ? t.url : proxy.url);
    const second = appPool(t.url, { pooler: "transaction" });
    const killing = (async () => {
      await sleep(300);
      const until = Date.now() + 2_500;
      while (Date.now() < until) {
        if (onPostgres) await terminateBackends(t.db, first.applicationName);
        else proxy.cut();
        await sleep(60 + Math.random() * 100);
      }
      await sleep(800);
    })();
    const result = await runContributors([first.db, second.db], 8, "ur", killing);
    console.info(`[fault-suite] two pools: ${result.accepted.length} accepted of ${result.calls}; errors ${JSON.stringify([...result.errors])}`);
    expect(result.accepted.length).toBeGreaterThan(2);
    await expectSound(result);
  });
});
