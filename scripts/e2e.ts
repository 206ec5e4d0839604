/**
 * `npm run test:e2e`: builds the app if needed, gives the run a fresh database (a new database on DATABASE_URL's
 * server, or a fresh embedded data directory), then runs Playwright against `next start` in Debian's Chromium.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  AUTH_DEV_LOGIN: "true",
  AUTH_TRUST_HOST: "true",
  SEED_DEMO_DATA: "true",
  // Small trees so a browser test can take one from prompt to export with three users.
  TREE_MANAGER__GOAL_TREE_SIZE: "3",
  TREE_MANAGER__MIN_GOAL_TREE_SIZE: "2",
  TREE_MANAGER__NUM_REVIEWS_INITIAL_PROMPT: "2",
  TREE_MANAGER__NUM_REVIEWS_REPLY: "1",
  TREE_MANAGER__NUM_REQUIRED_RANKINGS: "1",
  TREE_MANAGER__MAX_CHILDREN_COUNT: "2",
  TREE_MANAGER__P_LONELY_CHILD_EXTENSION: "0",
};
env.AUTH_SECRET ??= "e2e-secret-that-is-at-least-32-characters-long";

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  return result.status ?? 1;
}

if (!existsSync(".next/BUILD_ID") || process.env.E2E_BUILD === "always") {
  if (run("npx", ["next", "build"]) !== 0) process.exit(1);
}

let dropDatabase = async () => {};
if (process.env.DATABASE_URL) {
  const name = `oa_e2e_${process.pid}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  dropDatabase = async () => {
    const cleanup = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
    await cleanup.end();
  };
} else {
  env.PGLITE_DATA_DIR = path.join(mkdtempSync(path.join(tmpdir(), "oa-e2e-")), "pglite");
}

const status = run("npx", ["playwright", "test", ...process.argv.slice(2)]);
await dropDatabase();
process.exit(status);
