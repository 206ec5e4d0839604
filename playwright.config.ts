import { defineConfig, devices } from "@playwright/test";
import { debianChromium } from "./e2e/support/chromium";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: "./e2e",
  // e2e/dev/ runs against `npm run dev` (playwright.dev.config.ts, `npm run test:e2e:dev`), not `next start`.
  testIgnore: "dev/**",
  outputDir: "./e2e/artifacts/results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Timeouts only catch hangs (speed is measured by bench/): the longest flows take 60–100 s on a loaded 2-core
  // machine, so each test gets 4 minutes and each expectation 20 s.
  timeout: 240_000,
  expect: { timeout: 20_000 },
  reporter: [["list"], ["json", { outputFile: "e2e/artifacts/report.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: debianChromium,
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    // scripts/e2e.ts prepares a fresh database and the environment for this command.
    command: `npx tsx scripts/with-db.ts -- npx next start -p ${PORT}`,
    url: `${baseURL}/api/auth/providers`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
