import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["src/**/*.test.ts", "scripts/**/*.test.ts", "bench/**/*.test.ts"],
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
  },
});
