import { describe, expect, it } from "vitest";
import { connectDatabase, databaseSettingsFromEnv, driverOptions, listenTargetOf } from "./client";
import { migrationDatabaseUrl } from "./migrate";

describe("database settings", () => {
  it("default to a pool with safety nets: connect/idle/lifetime timeouts and statement/idle-transaction limits", () => {
    const settings = databaseSettingsFromEnv({});
    expect(settings).toMatchObject({ max: 10, connectTimeoutSeconds: 5, idleTimeoutSeconds: 60, maxLifetimeSeconds: 1800, statementTimeoutMs: 30_000, idleInTransactionTimeoutMs: 60_000, pooler: "none" });
    const options = driverOptions(settings);
    expect(options).toMatchObject({ max: 10, connect_timeout: 5, idle_timeout: 60, max_lifetime: 1800, prepare: true });
    expect(options.connection).toMatchObject({ TimeZone: "UTC", statement_timeout: 30_000, idle_in_transaction_session_timeout: 60_000 });
  });

  it("behind a transaction-mode pooler: no prepared statements, no session parameters the pooler would refuse", () => {
    const options = driverOptions(databaseSettingsFromEnv({ DATABASE_POOLER: "transaction", DATABASE_POOL_SIZE: "4" }));
    expect(options).toMatchObject({ max: 4, prepare: false });
    expect(Object.keys(options.connection ?? {}).sort()).toEqual(["TimeZone", "application_name"]);
  });

  it("0 turns a limit off, and a bad value names its variable", () => {
    const options = driverOptions(databaseSettingsFromEnv({ DATABASE_IDLE_TIMEOUT_SECONDS: "0", DATABASE_MAX_LIFETIME_SECONDS: "0", DATABASE_STATEMENT_TIMEOUT_MS: "0" }));
    expect(options).toMatchObject({ idle_timeout: undefined, max_lifetime: null });
    expect(options.connection).toMatchObject({ statement_timeout: 0 });
    expect(() => databaseSettingsFromEnv({ DATABASE_POOLER: "session" })).toThrow(/DATABASE_POOLER/);
    expect(() => databaseSettingsFromEnv({ DATABASE_CONNECT_TIMEOUT_SECONDS: "0" })).toThrow(/DATABASE_CONNECT_TIMEOUT_SECONDS/);
  });

  it("never LISTENs through a transaction-mode pooler: the direct URL when given, else no listening (polling)", async () => {
    // Nothing connects until a query runs, so these pools need no server.
    const direct = connectDatabase("postgres://app@127.0.0.1:1/oa", { pooler: "none" });
    const pooled = connectDatabase("postgres://app@127.0.0.1:1/oa", { pooler: "transaction", directUrl: undefined });
    const pooledWithDirect = connectDatabase("postgres://app@127.0.0.1:1/oa", { pooler: "transaction", directUrl: "postgres://app@127.0.0.1:2/oa" });
    expect(listenTargetOf(direct.db)).toEqual({ kind: "pool" });
    expect(listenTargetOf(pooled.db)).toEqual({ kind: "none" });
    const target = listenTargetOf(pooledWithDirect.db);
    expect(target.kind).toBe("direct");
    expect(target.kind === "direct" && target.client().options.port).toEqual([2]);
    await Promise.all([direct.close(), pooled.close(), pooledWithDirect.close()]);
  });

  it("migrates on the direct URL when there is one, and refuses to migrate through a transaction-mode pooler without it", () => {
    expect(migrationDatabaseUrl({ DATABASE_URL: "postgres://a@pooler:6432/oa" })).toBe("postgres://a@pooler:6432/oa");
    expect(migrationDatabaseUrl({ DATABASE_URL: "postgres://a@pooler:6432/oa", DATABASE_DIRECT_URL: "postgres://a@db:5432/oa", DATABASE_POOLER: "transaction" })).toBe("postgres://a@db:5432/oa");
    expect(() => migrationDatabaseUrl({ DATABASE_URL: "postgres://a@pooler:6432/oa", DATABASE_POOLER: "transaction" })).toThrow(/DATABASE_DIRECT_URL/);
  });
});
