import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Test files that replace modules (`vi.mock`) are named `*.isolated.test.ts` and get a fresh module graph each
 * (lint forbids `vi.mock` elsewhere). Every other file shares its worker's modules with the files that ran before it
 * there: evaluating the app's module graph anew for each of ~130 files was half the suite's work (import 365 s of
 * worker time in a CI run on PostgreSQL, 36 s without; the two passes of `.ci/run` 720 → 382–403 s on 2 cores). Each
 * file still gets its own database (src/test/database.ts), and the app's module state is read-only configuration
 * (environment, chat and tree-manager settings read once per process) or caches keyed by value.
 */
const ISOLATED = "**/*.isolated.test.ts";
/** Where test files live. */
const ROOTS = ["src", "scripts", "bench"];

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    environment: "node",
    // Each file owns its database, so files may run side by side; two workers suit a 2-core machine.
    pool: "forks",
    maxWorkers: 2,
    // A timeout only catches a hang: speed is measured by bench/, never asserted by a test. Integration tests take
    // 15–25 s on a loaded 2-core machine, so 30 s failed them on a slower CI runner without anything being wrong.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // next-auth imports `next/server` in a way Vite cannot resolve unless it is inlined (stack-notes G11).
    server: { deps: { inline: ["next-auth"] } },
    projects: [
      {
        extends: true,
        test: { name: "shared-modules", include: ROOTS.map((root) => `${root}/**/*.test.ts`), exclude: [...configDefaults.exclude, ISOLATED], isolate: false },
      },
      { extends: true, test: { name: "isolated", include: ROOTS.map((root) => `${root}/${ISOLATED}`), isolate: true } },
    ],
  },
});
