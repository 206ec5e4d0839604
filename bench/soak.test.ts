/**
 * The soak in miniature, so its harness never rots: 24 s of mixed load over HTTP with a connection kill and a
 * refusal. The full run is `npx tsx bench/soak.ts --minutes 2` (CI step) or `--minutes 30` (recorded in
 * bench/RESULTS-soak.md).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { runSoak, soakMarkdown } from "./soak";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

// On PostgreSQL only (CI's budget): the fault suites cover the embedded server (src/server/db/fault-suite.int.test.ts).
it.runIf(Boolean(process.env.DATABASE_URL))("keeps every invariant, loses no accepted submission and answers only typed errors under faults", { timeout: 180_000 }, async () => {
  const result = await runSoak({ minutes: 0.4, faultEverySeconds: 6, contributors: 8, chatters: 2, moderators: 1, port: 0, database: { url: database.url, embedded: !process.env.DATABASE_URL }, log: () => {} });
  const summary = soakMarkdown(result);
  expect(result.faults.map((fault) => fault.kind).slice(0, 1), summary).toEqual(["kill"]); // then a refusal, when the run is not too slow for it
  expect(result.requests, summary).toBeGreaterThan(30);
  expect(result.untypedErrors, summary).toBe(0);
  expect(result.lostSubmissions, summary).toBe(0);
  expect(result.invariantViolations, summary).toBe(0);
  expect(result.chatReplies.complete, summary).toBeGreaterThan(0);
});
