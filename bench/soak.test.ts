/**
 * The soak as CI runs it (issue 12: "CI runs a 2-minute version"): 2 minutes of mixed load over HTTP — contributors,
 * chat users with a mock model server, a moderator deleting and restoring replies — with a fault every 20 s
 * (connections killed, then the database refusing connections for 5 s, in turn). Bounded: the load stops at the
 * deadline, chat polling and the worker's stop have their own limits. The actors' plans come from a fixed seed.
 * Longer runs: `npx tsx bench/soak.ts --minutes 30` (recorded in bench/results/soak-30min.md).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { runSoak, soakMarkdown } from "./soak";

const MINUTES = 2;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

// On PostgreSQL only (CI's budget): the fault suites cover the embedded server (src/server/db/fault-suite.int.test.ts).
it.runIf(Boolean(process.env.DATABASE_URL))(
  "keeps every invariant, loses no accepted submission and answers only typed errors under faults for 2 minutes",
  { timeout: (MINUTES * 60 + 120) * 1_000 },
  async () => {
    const result = await runSoak({
      minutes: MINUTES, faultEverySeconds: 20, contributors: 8, chatters: 2, moderators: 1, port: 0, seed: 12,
      database: { url: database.url, embedded: false }, log: () => {},
    });
    const summary = soakMarkdown(result);
    expect(result.durationSeconds, summary).toBeGreaterThanOrEqual(MINUTES * 60);
    // Kills and refusals in turn, several of each (the last one ends at least 10 s before the deadline).
    expect(result.faults.length, summary).toBeGreaterThanOrEqual(4);
    expect(new Set(result.faults.map((fault) => fault.kind)), summary).toEqual(new Set(["kill", "refuse"]));
    expect(result.requests, summary).toBeGreaterThan(150);
    expect(result.byProcedure["moderation.deleteMessage"]?.calls ?? 0, summary).toBeGreaterThan(0);
    expect(result.untypedErrors, summary).toBe(0);
    expect(result.lostSubmissions, summary).toBe(0);
    expect(result.invariantViolations, summary).toBe(0);
    expect(result.chatReplies.complete, summary).toBeGreaterThan(0);
  },
);
