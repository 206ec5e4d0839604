import { defineConfig, devices } from "@playwright/test";
import { debianChromium } from "./e2e/support/chromium";

/**
 * The first-run e2e (`npm run test:e2e:dev`, issue 11 "Done when"): Playwright starts `npm run dev` itself with the
 * defaults a fresh clone has (the embedded database in a fresh temporary data directory, no DATABASE_URL, the
 * development sign-in and the dev-echo worker that scripts/with-db.ts turns on), and e2e/dev/first-run.spec.ts uses it
 * as a new contributor would. scripts/e2e-dev.ts prepares that environment; run this config through it.
 */
const PORT = Number(process.env.E2E_DEV_PORT ?? 3331);
const baseURL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: "./e2e/dev",
  outputDir: "./e2e/artifacts/results-dev",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // `next dev` compiles each route on its first visit: about a minute for all of them on a quiet two-core machine,
  // but one route took over three minutes at load average 12. These limits only catch hangs.
  timeout: 900_000,
  expect: { timeout: 240_000 },
  reporter: [["list"], ["json", { outputFile: "e2e/artifacts/report-dev.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    navigationTimeout: 240_000,
    launchOptions: debianChromium,
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    // Exactly what a new contributor runs, on a free port (`next dev -p` takes the last port given).
    command: `npm run dev -- -p ${PORT}`,
    url: `${baseURL}/api/auth/providers`,
    // Never a server left running from before: the point is a fresh start.
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM lets scripts/with-db.ts stop the worker and the embedded database cleanly.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
