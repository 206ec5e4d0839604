/**
 * Issue 12, finding 1: after the app's connections are killed (`pg_terminate_backend`) the postgres.js pool must
 * recover — no hang, typed errors while connections are lost, full service within seconds — and no statement of a
 * transaction may run outside it after a reconnect (patches/postgres+3.4.9.patch; porsager/postgres#1199, #1155).
 * Needs real PostgreSQL (the embedded server has no backends to kill); `faults.int.test.ts` covers both through a TCP proxy.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { callerFor, createTestUser } from "@/test/factories";
import { setupTestDatabase } from "@/test/database";
import { connectDatabase, databaseSettingsFromEnv, type DatabaseConnection } from "./client";
import { DATABASE_RETRY_AFTER_SECONDS, databaseAppError } from "./errors";
import { type FaultProxy, startFaultProxy } from "./faults/proxy";
import { appCodeOf, settleWithin } from "./faults/settle";
import { backendsExited, countBackends, terminateBackendPids, terminateBackends } from "./faults/terminate";

const onPostgres = Boolean(process.env.DATABASE_URL);
const t = setupTestDatabase();
const pools: DatabaseConnection[] = [];
const proxies: FaultProxy[] = [];

/** An app-like pool with its own application name, on the database itself or on a fault proxy in front of it. */
function appPool(max: number, url = t.url) {
  const applicationName = `oa-fault-${randomUUID().slice(0, 8)}`;
  const pool = connectDatabase(url, { max, applicationName, connectTimeoutSeconds: 3 });
  pools.push(pool);
  return { ...pool, applicationName };
}

async function waitFor(condition: () => Promise<boolean>, limitMs = 10_000) {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A proxy that holds each socket open 3 s after the server closed its side (`lingerAfterServerCloseMs`). */
async function lingeringProxy() {
  const proxy = await startFaultProxy(t.url, { lingerAfterServerCloseMs: 3_000 });
  proxies.push(proxy);
  return proxy;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

describe.runIf(onPostgres)("the pool after its backends are killed", () => {
  let userId: string;
  beforeAll(async () => {
    userId = (await createTestUser(t.db)).id;
    await t.db.execute(sql`create table if not exists fault_probe (id int primary key, note text not null)`);
  });

  it("answers bursts of calls while its backends are killed mid-load: nothing hangs, every error is typed, full service after", async () => {
    const pool = appPool(5);
    const caller = callerFor(pool.db, userId);
    const outcomes: string[] = [];
    const killed: number[] = [];
    for (let round = 0; round < 12; round++) {
      const burst = Array.from({ length: 15 }, () => settleWithin(caller.users.me(), 15_000));
      // Kill while the burst is being written and answered (the moment the driver's write scheduler is exposed).
      await new Promise((resolve) => setImmediate(resolve));
      if (round % 3 === 2) await new Promise((resolve) => setTimeout(resolve, 2));
      killed.push(...(await terminateBackendPids(t.db, pool.applicationName)));
      for (const outcome of await Promise.all(burst)) {
        outcomes.push(outcome.status === "error" ? appCodeOf(outcome.error) : outcome.status);
      }
    }
    expect(outcomes.filter((outcome) => outcome === "hung"), "calls that hung").toEqual([]);
    expect(new Set(outcomes.filter((outcome) => outcome !== "ok")), "errors are typed 503s").toEqual(
      outcomes.some((outcome) => outcome !== "ok") ? new Set(["SERVICE_UNAVAILABLE"]) : new Set(),
    );

    // Full service again within seconds of the faults ending: once the killed backends have exited (a backend
    // signalled in the last round may still be exiting, and a call sent on its connection meanwhile gets the typed
    // 503 above — it failed once in a parallel run), three bursts in a row, every call answered.
    const started = Date.now();
    await waitFor(() => backendsExited(t.db, killed));
    for (let burst = 0; burst < 3; burst++) {
      const results = await Promise.all(Array.from({ length: 15 }, () => settleWithin(caller.users.me(), 10_000)));
      expect(results.map((result) => result.status)).toEqual(Array(15).fill("ok"));
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("stops handing calls to a connection once its backend has said it is ending, before its socket closes", async () => {
    // A killed backend sends its FATAL error, runs its exit hooks, and only then does its socket close: calls made in
    // between went to the dying connections and failed (or hung), a read's retry landing on the next dying one. Here
    // a proxy holds each socket open 3 s after the server closed it, the gap stretched so it cannot be missed.
    const pool = appPool(3, (await lingeringProxy()).url);
    const caller = callerFor(pool.db, userId);
    await Promise.all(Array.from({ length: 3 }, () => pool.client`select pg_sleep(0.05)`));
    const killed = await terminateBackendPids(t.db, pool.applicationName);
    expect(killed).toHaveLength(3);
    await waitFor(() => backendsExited(t.db, killed));
    await new Promise((resolve) => setTimeout(resolve, 100)); // their last words have arrived; their sockets linger

    const results = await Promise.all(Array.from({ length: 15 }, () => settleWithin(caller.users.me(), 2_000)));
    expect(results.map((result) => (result.status === "error" ? appCodeOf(result.error) : result.status))).toEqual(Array(15).fill("ok"));
  });

  it("fails a transaction whose connection dies in the same read as its BEGIN's answer, and serves the next call", async () => {
    // The transaction must learn of the close even though it happened before it resumed after BEGIN: it used to send
    // its first statement to the closed connection, which the pool then counted as busy forever (every later call on
    // a one-connection pool, and the transaction's own rollback, waited for good).
    const proxy = await lingeringProxy();
    const pool = appPool(1, proxy.url);
    await pool.client`select 1`;
    proxy.holdReplies();
    const transaction = settleWithin(pool.db.transaction(async (tx) => tx.execute(sql`select 1`)), 10_000);
    await waitFor(async () => {
      const [row] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity
        where application_name = ${pool.applicationName} and state = 'idle in transaction'`);
      return row!.n === 1;
    });
    const killed = await terminateBackendPids(t.db, pool.applicationName);
    await waitFor(() => backendsExited(t.db, killed));
    proxy.releaseReplies(); // BEGIN's answer and the FATAL error, in one read

    const outcome = await transaction;
    expect(outcome.status, "the transaction fails, it does not hang").toBe("error");
    expect(databaseAppError(outcome.status === "error" ? outcome.error : null)?.code).toBe("SERVICE_UNAVAILABLE");
    expect((await settleWithin(pool.client`select 2 as alive`, 5_000)).status).toBe("ok");
  });

  it("never runs a statement of a transaction outside it after its connection is killed and the pool reconnects", async () => {
    const pool = appPool(1);
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let insideStarted!: () => void;
    const started = new Promise<void>((resolve) => (insideStarted = resolve));

    const transaction = pool.db.transaction(async (tx) => {
      await tx.execute(sql`insert into fault_probe (id, note) values (1, 'first statement of the transaction')`);
      insideStarted();
      await paused; // the transaction is idle in the middle of its work when its backend dies
      await tx.execute(sql`insert into fault_probe (id, note) values (2, 'second statement of the transaction')`);
    });
    const settled = settleWithin(transaction, 15_000);
    await started;
    expect(await terminateBackends(t.db, pool.applicationName)).toBe(1);
    await waitFor(async () => (await countBackends(t.db, pool.applicationName)) === 0);
    // Other work makes the pool reconnect the very connection the transaction lived on.
    const [fresh] = await pool.client`select 1 as alive`;
    expect(fresh).toEqual({ alive: 1 });
    resume();

    const outcome = await settled;
    expect(outcome.status).toBe("error");
    expect(outcome.status === "error" && (outcome.error as { code?: string }).code).toMatch(/^(CONNECTION_CLOSED|57P01)$/);
    await new Promise((resolve) => setTimeout(resolve, 100)); // let a stray write reach the server, if there were one
    expect(await t.db.execute(sql`select id from fault_probe order by id`)).toEqual([]);
    // And the pool serves again.
    expect(await pool.client`select 2 as alive`).toEqual([{ alive: 2 }]);
  });

  it("gives a typed error when a call's transaction is killed mid-statement, and serves the next call", async () => {
    const pool = appPool(2);
    const running = settleWithin(
      pool.db.transaction(async (tx) => {
        await tx.execute(sql`insert into fault_probe (id, note) values (3, 'rolled back')`);
        await tx.execute(sql`select pg_sleep(5)`);
      }),
      15_000,
    );
    await waitFor(async () => {
      const [row] = await t.db.execute<{ n: number }>(
        sql`select count(*)::int as n from pg_stat_activity where application_name = ${pool.applicationName} and query like '%pg_sleep%' and state = 'active'`,
      );
      return row!.n === 1;
    });
    await terminateBackends(t.db, pool.applicationName);
    const outcome = await running;
    expect(outcome.status).toBe("error");
    const { classifyDatabaseError } = await import("./errors");
    expect(outcome.status === "error" && classifyDatabaseError(outcome.error)).toBe("unavailable");
    expect(await t.db.execute(sql`select id from fault_probe where id = 3`)).toEqual([]);
    expect(await pool.client`select 3 as alive`).toEqual([{ alive: 3 }]);
  });

  it("gives the app's pool a statement limit and an idle-transaction limit, whose breaches are typed 503s", async () => {
    const pool = connectDatabase(t.url, { ...databaseSettingsFromEnv(), max: 2, statementTimeoutMs: 300, idleInTransactionTimeoutMs: 300, applicationName: "oa-fault-limits" });
    pools.push(pool);
    expect(await pool.client`show statement_timeout`).toEqual([{ statement_timeout: "300ms" }]);
    const slow = await settleWithin(pool.db.execute(sql`select pg_sleep(2)`), 10_000);
    expect(slow.status === "error" && databaseAppError(slow.error)).toMatchObject({ code: "SERVICE_UNAVAILABLE", details: { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS } });
    const idle = await settleWithin(
      pool.db.transaction(async (tx) => {
        await tx.execute(sql`insert into fault_probe (id, note) values (5, 'left idle')`);
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // forgotten: the server ends it
        await tx.execute(sql`select 1`);
      }),
      10_000,
    );
    expect(idle.status === "error" && databaseAppError(idle.error)?.code).toBe("SERVICE_UNAVAILABLE");
    expect(await t.db.execute(sql`select id from fault_probe where id = 5`)).toEqual([]);
    // Tools get no statement limit unless they ask for one.
    const tool = connectDatabase(t.url, { max: 1 });
    pools.push(tool);
    expect(await tool.client`show statement_timeout`).toEqual([{ statement_timeout: "0" }]);
  });

  it("recovers a reserved connection released after its backend was killed (porsager/postgres#1199)", async () => {
    const pool = appPool(1);
    const reserved = await pool.client.reserve();
    const [{ pid }] = (await reserved`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
    const sleeping = settleWithin(reserved`select pg_sleep(5)`.then(() => "slept"), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await t.db.execute(sql`select pg_terminate_backend(${pid})`);
    expect((await sleeping).status).toBe("error");
    reserved.release();
    const next = await settleWithin(pool.client`select 4 as alive`, 10_000);
    expect(next.status === "ok" && next.value).toEqual([{ alive: 4 }]);
  });
});
