import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "@/server/db/schema";
import { checkInvariants, formatInvariantReport } from "@/server/domain/invariants/check-invariants";
import { AppError } from "@/server/errors";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";

/**
 * Races of undelete against replies (issue 12: the 30-minute soak's moderator deleted a reply, another reply took
 * the freed slot, the restore made 4 of 3). Trees are grown through the real task flow in this file's own database,
 * so the whole invariant checker must report nothing afterwards.
 */
const t = setupTestDatabase();

async function liveChildren(parentId: string) {
  return t.db.select().from(messages).where(and(eq(messages.parentId, parentId), eq(messages.deleted, false)));
}

async function expectNoViolations() {
  const report = await checkInvariants(t.db);
  expect(report.violations, formatInvariantReport(report)).toBe(0);
}

/** Every rejection a caller gets must be a typed error (an AppError behind the tRPC error), never a bug. */
function untyped(results: PromiseSettledResult<unknown>[]): unknown[] {
  return results.flatMap((result) =>
    result.status === "rejected" && !(result.reason instanceof TRPCError && result.reason.cause instanceof AppError) ? [result.reason] : [],
  );
}

// Each round is a fresh prompt in its own language (so no round hands out another's parent); a few are enough to
// hit both orders of the one-slot race, and the all-at-once rounds interleave with random jitter.
const ROUNDS = 6;

describe("races: delete → reply → undelete", { timeout: 300_000 }, () => {
  // Pending replies count (numReviewsReply 1: no reviews needed for the race), reservations lapse at once, so every
  // writer holds a task for the same prompt and the parent fills up through real submissions.
  const deps = testTreeDeps({ numReviewsInitialPrompt: 2, numReviewsReply: 1, maxChildrenCount: 3, recentTasksSpanSec: 0, pLonelyChildExtension: 0, goalTreeSize: 50 });

  /** A fresh accepted prompt in its own language, 3 replies under it, and `waiting` writers holding acked reply tasks. */
  async function fullPrompt(lang: string, waiting: number) {
    const names = Array.from({ length: 6 + waiting }, (_, i) => `${lang}-${i}`);
    const [author, r1, r2, ...writers] = (await createContributors(t.db, deps, names)) as Contributor[];
    const rootId = (await author!.requestAndComplete("initial_prompt", lang)).result!;
    await r1!.requestAndComplete("label_initial_prompt", lang);
    await r2!.requestAndComplete("label_initial_prompt", lang);
    const tasks = [];
    for (const writer of writers) {
      const task = await writer.request("assistant_reply", lang);
      await writer.ack(task);
      tasks.push({ writer, task });
    }
    const replies: string[] = [];
    for (const { writer, task } of tasks.slice(0, 3)) replies.push((await writer.caller.tasks.submitReply({ taskId: task.id, text: `${writer.name} answers` })).messageId);
    const moderator = await createTestUser(t.db, { role: "moderator" });
    return { rootId, replies, pending: tasks.slice(3), moderation: callerFor(t.db, moderator.id, {}, deps).moderation };
  }

  it("reply ∥ undelete on a parent with one free slot: exactly one of them gets it, the other a typed refusal", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { rootId, replies, pending, moderation } = await fullPrompt(`u${String.fromCharCode(97 + round)}`, 1);
      await moderation.deleteMessage({ messageId: replies[0]! });
      const { writer, task } = pending[0]!;
      const results = await Promise.allSettled([
        writer.caller.tasks.submitReply({ taskId: task.id, text: `${writer.name} takes the slot` }),
        moderation.undeleteMessage({ messageId: replies[0]! }),
      ]);
      expect(untyped(results)).toEqual([]);
      expect(results.filter((result) => result.status === "fulfilled"), `round ${round}`).toHaveLength(1);
      const codes = results.flatMap((result) => (result.status === "rejected" ? [((result.reason as TRPCError).cause as AppError).code] : []));
      expect(["TASK_TARGET_FULL", "UNDELETE_PARENT_FULL"]).toContain(codes[0]);
      expect(await liveChildren(rootId)).toHaveLength(3);
    }
    await expectNoViolations();
  });

  it("deletes, replies and undeletes all at once, many times: 0 violations, only typed errors", async () => {
    const refusals = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const { rootId, replies, pending, moderation } = await fullPrompt(`v${String.fromCharCode(97 + round)}`, 3);
      const jitter = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
      const results = await Promise.allSettled([
        // Two moderators' worth of delete → undelete on different replies, interleaved with three writers.
        (async () => {
          await moderation.deleteMessage({ messageId: replies[0]! });
          await jitter();
          return moderation.undeleteMessage({ messageId: replies[0]! });
        })(),
        (async () => {
          await jitter();
          await moderation.deleteMessage({ messageId: replies[1]! });
          await jitter();
          return moderation.undeleteMessage({ messageId: replies[1]! });
        })(),
        ...pending.map(async ({ writer, task }) => {
          await jitter();
          return writer.caller.tasks.submitReply({ taskId: task.id, text: `${writer.name} answers late` });
        }),
      ]);
      expect(untyped(results), `round ${round}`).toEqual([]);
      for (const result of results) {
        if (result.status === "rejected") {
          const code = ((result.reason as TRPCError).cause as AppError).code;
          refusals.set(code, (refusals.get(code) ?? 0) + 1);
        }
      }
      const counted = (await liveChildren(rootId)).filter((child) => child.reviewResult !== false);
      expect(counted.length, `round ${round}`).toBeLessThanOrEqual(3);
    }
    await expectNoViolations();
    // Only the refusals this race can produce.
    expect([...refusals.keys()].every((code) => ["TASK_TARGET_FULL", "UNDELETE_PARENT_FULL", "MESSAGE_NOT_FOUND"].includes(code)), JSON.stringify([...refusals])).toBe(true);
  });
});
