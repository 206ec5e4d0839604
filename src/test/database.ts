import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { connectDatabase, type Database } from "@/server/db/client";
import { startEmbeddedPostgres } from "@/server/db/embedded";
import { migrateDatabase, MIGRATIONS_FOLDER } from "@/server/db/migrate";

/**
 * Every test file gets its own fresh, migrated database:
 * - with DATABASE_URL (CI's PostgreSQL): a new database cloned from a migrated template database;
 * - without it: an embedded PGlite server restored from a migrated snapshot (cached on disk).
 * Either way the template is built once per migration set, so a file pays only for the clone.
 */
export type TestDatabase = { db: Database; url: string; close: () => Promise<void> };

function migrationsHash(): string {
  const hash = createHash("sha256");
  for (const file of readdirSync(MIGRATIONS_FOLDER, { recursive: true }).map(String).sort()) {
    const full = path.join(MIGRATIONS_FOLDER, file);
    if (file.endsWith(".sql") || file.endsWith(".json")) hash.update(file).update(readFileSync(full));
  }
  return hash.digest("hex").slice(0, 12);
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function createOnServer(serverUrl: string): Promise<TestDatabase> {
  const template = `oa_template_${migrationsHash()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    // Serialise template creation across concurrently starting test files and runs.
    await admin`select pg_advisory_lock(727002)`;
    const [found] = await admin`select 1 from pg_database where datname = ${template}`;
    if (!found) {
      const building = `${template}_building_${process.pid}`;
      await admin.unsafe(`drop database if exists "${building}"`);
      await admin.unsafe(`create database "${building}"`);
      await migrateDatabase(withDatabaseName(serverUrl, building));
      await admin.unsafe(`alter database "${building}" rename to "${template}"`);
    }
    const name = `oa_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await admin.unsafe(`create database "${name}" template "${template}"`);
    await admin`select pg_advisory_unlock(727002)`;
    const url = withDatabaseName(serverUrl, name);
    const { db, close } = connectDatabase(url, { max: 8 });
    return {
      db,
      url,
      close: async () => {
        await close();
        const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
        await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
        await cleanup.end();
      },
    };
  } finally {
    await admin.end();
  }
}

async function embeddedSnapshot(): Promise<Blob> {
  const dir = path.join(process.cwd(), "node_modules", ".cache", "oa-test");
  const file = path.join(dir, `pglite-${migrationsHash()}.tar`);
  if (!existsSync(file)) {
    const server = await startEmbeddedPostgres();
    await migrateDatabase(server.url);
    const dump = await server.dump();
    await server.stop();
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}`;
    writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
    renameSync(temporary, file);
  }
  return new Blob([readFileSync(file)]);
}

async function createEmbedded(): Promise<TestDatabase> {
  const server = await startEmbeddedPostgres({ loadDataDir: await embeddedSnapshot() });
  const { db, close } = connectDatabase(server.url, { max: 8 });
  return {
    db,
    url: server.url,
    close: async () => {
      await close();
      await server.stop();
    },
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? createOnServer(serverUrl) : createEmbedded();
}

/** Registers a fresh database for the current test file: `const t = setupTestDatabase(); … t.db`. */
export function setupTestDatabase(): { readonly db: Database; readonly url: string } {
  let testDatabase: TestDatabase | undefined;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase?.close();
  });
  return {
    get db() {
      if (!testDatabase) throw new Error("the test database is not ready (use it inside tests or hooks)");
      return testDatabase.db;
    },
    get url() {
      if (!testDatabase) throw new Error("the test database is not ready");
      return testDatabase.url;
    },
  };
}
