import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";

// Drizzle safety rules (T3): an UPDATE or DELETE without WHERE on any of our handles is almost always a bug.
const drizzleObjects = ["db", "tx", "ctx.db"];

const SHARED_MODULES_RULE = "Name the file *.isolated.test.ts: other test files share their worker's modules (vitest.config.ts).";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: drizzleObjects }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: drizzleObjects }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // A test that replaces modules needs its own module graph: vitest.config.ts runs only *.isolated.test.ts files so.
    files: ["**/*.test.ts"],
    ignores: ["**/*.isolated.test.ts"],
    rules: {
      "no-restricted-properties": ["error", ...["mock", "doMock"].map((property) => ({ object: "vi", property, message: SHARED_MODULES_RULE }))],
    },
  },
  {
    ignores: [
      "node_modules/**", ".next/**", ".data/**", "drizzle/**", "next-env.d.ts",
      "test-results/**", "playwright-report/**", "e2e/artifacts/**", "bench/tmp/**",
    ],
  },
];

export default config;
