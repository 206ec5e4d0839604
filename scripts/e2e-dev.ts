/**
 * `npm run test:e2e:dev`: the first-run e2e against `npm run dev` (playwright.dev.config.ts, e2e/dev/). Unlike
 * scripts/e2e.ts it builds nothing and sets no tuning: it only removes what a fresh clone would not have (a database
 * URL, the e2e suite's settings, a data directory in use) and gives the run a fresh embedded data directory, so the
 * dev server starts with the defaults a new contributor gets. The JSON report goes to e2e/artifacts/report-dev.json.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
// A fresh clone's defaults: no database server, no demo or sign-in switches, no tree-size tuning, no worker settings.
for (const name of Object.keys(env)) {
  if (/^(DATABASE_URL|PGLITE_DATA_DIR|EMBEDDED_DB_PORT|AUTH_|SEED_DEMO_DATA|DEV_WORKER|DEV_ECHO_|WORKER_|OPENAI_|GGUF_|TREE_MANAGER__|NODE_ENV$|PORT$)/.test(name)) {
    delete env[name];
  }
}
const root = mkdtempSync(path.join(tmpdir(), "oa-e2e-dev-"));
env.PGLITE_DATA_DIR = path.join(root, "pglite");

const result = spawnSync("npx", ["playwright", "test", "--config", "playwright.dev.config.ts", ...process.argv.slice(2)], { stdio: "inherit", env });
rmSync(root, { recursive: true, force: true });
process.exit(result.status ?? 1);
