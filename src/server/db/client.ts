import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { pickEnv } from "@/env";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Domain functions take either the database or an open transaction. */
export type DbOrTx = Database | Transaction;

export type DatabaseConnection = {
  db: Database;
  /** The driver itself, for the few places that need it (fault tests, health checks). */
  client: postgres.Sql;
  close: () => Promise<void>;
};

/**
 * How a process talks to PostgreSQL. The timeouts are the pool's safety nets: a database that does not answer
 * fails a call in seconds (typed, see `errors.ts`) instead of hanging it, a connection killed on the server is
 * replaced, and a statement or a forgotten transaction cannot hold locks for ever.
 */
export type DatabaseSettings = {
  /** Connections in this process's pool. */
  max: number;
  connectTimeoutSeconds: number;
  /** 0: never. */
  idleTimeoutSeconds: number;
  /** 0: never. */
  maxLifetimeSeconds: number;
  /** PostgreSQL `statement_timeout`; 0: none. */
  statementTimeoutMs: number;
  /** PostgreSQL `idle_in_transaction_session_timeout`; 0: none. */
  idleInTransactionTimeoutMs: number;
  /** `transaction`: behind a transaction-mode pooler (PgBouncer): no prepared statements, no session settings. */
  pooler: "none" | "transaction";
  /** `application_name`, so an operator (or a fault test) can tell the pools apart in `pg_stat_activity`. */
  applicationName: string;
  /** Behind a transaction-mode pooler: the server itself, for LISTEN (`DATABASE_DIRECT_URL`). */
  directUrl?: string;
};

/** The settings from the environment (`DATABASE_*`, see `src/env.ts`); defaults when unset. */
export function databaseSettingsFromEnv(source: Record<string, string | undefined> = process.env): DatabaseSettings {
  const env = pickEnv(
    [
      "DATABASE_POOL_SIZE",
      "DATABASE_CONNECT_TIMEOUT_SECONDS",
      "DATABASE_IDLE_TIMEOUT_SECONDS",
      "DATABASE_MAX_LIFETIME_SECONDS",
      "DATABASE_STATEMENT_TIMEOUT_MS",
      "DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS",
      "DATABASE_POOLER",
      "DATABASE_DIRECT_URL",
    ],
    source,
  );
  return {
    max: env.DATABASE_POOL_SIZE,
    connectTimeoutSeconds: env.DATABASE_CONNECT_TIMEOUT_SECONDS,
    idleTimeoutSeconds: env.DATABASE_IDLE_TIMEOUT_SECONDS,
    maxLifetimeSeconds: env.DATABASE_MAX_LIFETIME_SECONDS,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    pooler: env.DATABASE_POOLER,
    applicationName: "open-assistant",
    directUrl: env.DATABASE_DIRECT_URL,
  };
}

/** The postgres.js options for these settings (exported for its unit test). */
export function driverOptions(settings: DatabaseSettings): postgres.Options<Record<string, postgres.PostgresType>> {
  const behindPooler = settings.pooler === "transaction";
  // postgres.js sends unknown `connection` keys as startup parameters. A transaction-mode pooler refuses
  // parameters it does not track (statement_timeout…), and the next transaction may run on another server
  // connection anyway, so behind one the timeouts belong on the role (`alter role … set statement_timeout`).
  const sessionTimeouts = behindPooler
    ? {}
    : {
        statement_timeout: settings.statementTimeoutMs,
        idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
      };
  return {
    max: settings.max,
    connect_timeout: settings.connectTimeoutSeconds,
    idle_timeout: settings.idleTimeoutSeconds || undefined,
    max_lifetime: settings.maxLifetimeSeconds || null,
    // Named prepared statements live in one server session; a transaction-mode pooler changes sessions.
    prepare: !behindPooler,
    // postgres.js waits before reconnecting, up to 20 s after repeated failures, and a call queued for that
    // connection waits with it: while the database is down calls would hang instead of failing. Capped at 1 s,
    // a call fails typed (503) within the connect timeout + 1 s, and is served again as soon as it is back.
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    // Timestamps are always written and read as UTC instants (TimeZone and application_name are parameters
    // PgBouncer tracks itself, so they are fine behind it).
    connection: { TimeZone: "UTC", application_name: settings.applicationName, ...sessionTimeouts },
  };
}

/** Seconds before a connection tries again after its attempts failed `retries` times: 50 ms doubling, at most 1 s, jittered. */
export function reconnectDelaySeconds(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2);
}

/**
 * One driver everywhere (DESIGN.md): postgres.js + drizzle, against real PostgreSQL or the embedded server.
 * The pool's settings not given come from the environment. The statement and idle-transaction limits are for
 * the app's request-serving pool (`src/server/db/index.ts` passes `databaseSettingsFromEnv()`); tools that may
 * legitimately run long statements (migrations, dataset import/export, seeding, benchmarks) get none unless they
 * ask for them.
 */
export function connectDatabase(url: string, options: Partial<DatabaseSettings> = {}): DatabaseConnection {
  const settings = { ...databaseSettingsFromEnv(), statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0, ...options };
  const client = postgres(url, driverOptions(settings));
  const queries = settings.pooler === "transaction" ? client : preparingClient(client);
  const db = drizzle({ client: queries, schema, casing: "snake_case" });
  let direct: postgres.Sql | undefined;
  const directUrl = settings.directUrl;
  listenTargets.set(
    queries,
    settings.pooler !== "transaction"
      ? { kind: "pool" }
      : directUrl
        ? {
            kind: "direct",
            client: () =>
              (direct ??= postgres(directUrl, {
                max: 1, connect_timeout: settings.connectTimeoutSeconds, backoff: reconnectDelaySeconds, onnotice: () => {},
                connection: { application_name: `${settings.applicationName}-listen` },
              })),
          }
        : { kind: "none" },
  );
  return { db, client, close: async () => void (await Promise.all([client.end({ timeout: 5 }), direct?.end({ timeout: 5 })])) };
}

/**
 * The pool as drizzle sees it, with every query run as a named prepared statement. Drizzle asks postgres.js for an
 * unnamed statement unless a query is given a name, and postgres.js runs an unnamed statement with parameters in two
 * round trips (Parse + Describe, wait for the parameter types, then Bind + Execute), never pipelined. A named one is
 * parsed and described once per connection, and from then on runs in one round trip: at 1M messages a contributor's
 * request → ack → submit sends 13 statements, 11 with parameters. Each connection keeps the statements it has run
 * (its cache is dropped when the connection is recycled, `DATABASE_MAX_LIFETIME_SECONDS`); PostgreSQL plans them as
 * it plans PL/pgSQL's statements. Not behind a transaction-mode pooler: a named statement lives in one server
 * session. Transactions (and their savepoints) get the same client, so their statements are prepared too.
 */
export function preparingClient(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, key) {
      if (key === "unsafe") {
        return (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, parameters, { ...options, prepare: true });
      }
      if (key === "begin" || key === "savepoint") {
        return (...args: unknown[]) => {
          const work = args.at(-1) as (tx: postgres.Sql) => unknown;
          const method = Reflect.get(target, key, target) as (...rest: unknown[]) => unknown;
          return method.apply(target, [...args.slice(0, -1), (tx: postgres.Sql) => work(preparingClient(tx))]);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Where a process may LISTEN for this pool's notifications (chat queue wake-ups, `domain/chat/wakeups.ts`): on the
 * pool's own server; behind a transaction-mode pooler, on a direct connection to the server when
 * `DATABASE_DIRECT_URL` is set (LISTEN is session state: a pooler hands the session to other clients), else nowhere
 * (the process polls).
 */
export type ListenTarget = { kind: "pool" } | { kind: "direct"; client: () => postgres.Sql } | { kind: "none" };

const listenTargets = new WeakMap<object, ListenTarget>();

export function listenTargetOf(db: Database): ListenTarget {
  const client = (db as unknown as { $client?: object }).$client;
  return (client && listenTargets.get(client)) || { kind: "pool" };
}
