/**
 * `npm test`: every test that needs no browser (unit, integration through tRPC callers, worker tests).
 * Database: DATABASE_URL when set (each test file gets its own database cloned from a migrated template),
 * otherwise an embedded PGlite-backed server per test file. Nothing needs to be installed or started first.
 */
import { spawnSync } from "node:child_process";
import postgres from "postgres";

const url = process.env.DATABASE_URL;
if (url) {
  const probe = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await probe`select 1`;
  } catch (error) {
    console.error(`✖ DATABASE_URL is set but the server cannot be reached: ${(error as Error).message}`);
    console.error("  Unset DATABASE_URL to run the tests on the embedded database instead.");
    process.exit(1);
  } finally {
    await probe.end();
  }
  console.log(`[test] database: ${new URL(url).host} (PostgreSQL from DATABASE_URL)`);
} else {
  console.log("[test] database: embedded PGlite server (set DATABASE_URL to use a PostgreSQL server)");
}

const result = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
process.exit(result.status ?? 1);
