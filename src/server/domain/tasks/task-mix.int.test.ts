import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, type DatabaseConnection } from "@/server/db/client";
import type { TaskRequestType } from "@/server/domain/tasks/types";
import { withoutRateLimits } from "@/test/rate-limits";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";

/**
 * The whole task mix at 50 concurrent users through the tRPC callers (issue 15 #3): requests of every type, acks,
 * answers, skips. No deadlock (40P01) and no 500 may come back, and afterwards every tree invariant holds.
 */
const t = setupTestDatabase();
const USERS = 50;
// The embedded server runs one transaction at a time: there the mix only checks the invariants, in fewer rounds.
const ROUNDS = process.env.DATABASE_URL ? 6 : 2;
const LANG = "mx";

// Rate limits are tested elsewhere; here every user works as fast as they can.
withoutRateLimits();

// A pool as large as an app process's, so that 50 users really run transactions side by side.
let wide: DatabaseConnection;
beforeAll(() => {
  wide = connectDatabase(t.url, { max: process.env.DATABASE_URL ? 20 : 8 });
});
afterAll(async () => wide?.close());

const TYPES: TaskRequestType[] = [
  "random", "random", "random", "random", "initial_prompt", "assistant_reply", "prompter_reply",
  "label_initial_prompt", "label_assistant_reply", "label_prompter_reply", "rank_assistant_replies",
];

function sqlState(error: unknown): string | undefined {
  for (let cause = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; cause && depth < 5; cause = cause.cause as typeof cause, depth++) {
    if (typeof cause.code === "string" && /^[0-9A-Z]{5}$/.test(cause.code)) return cause.code;
  }
  return undefined;
}

async function work(user: Contributor, index: number, failures: unknown[]) {
  for (let round = 0; round < ROUNDS; round++) {
    try {
      const task = await user.request(TYPES[(index + round) % TYPES.length]!, LANG);
      if ((index + round) % 7 === 3) {
        await user.ack(task);
        await user.caller.tasks.skip({ taskId: task.id, reason: "mix" });
      } else {
        await user.complete(task, { spam: (index + round) % 11 === 5 ? 1 : 0 });
      }
    } catch (error) {
      if (!(error instanceof TRPCError) || error.code === "INTERNAL_SERVER_ERROR" || sqlState(error)) failures.push(error);
    }
  }
}

describe("the task mix at 50 concurrent users", () => {
  it("never deadlocks, never fails with a 500, and leaves every tree consistent", async () => {
    const deps = testTreeDeps({
      goalTreeSize: 4, numReviewsInitialPrompt: 2, numReviewsReply: 1, numRequiredRankings: 2, maxActiveTrees: 4,
      maxChildrenCount: 2, maxTreeDepth: 3, pLonelyChildExtension: 0.5,
    });
    // Seed a few prompts, so every task type has work from the first round on.
    const seeders = await createContributors(wide.db, deps, ["s0", "s1", "s2"]);
    for (let i = 0; i < 4; i++) {
      await seeders[0]!.requestAndComplete("initial_prompt", LANG);
      await seeders[1]!.requestAndComplete("label_initial_prompt", LANG);
      await seeders[2]!.requestAndComplete("label_initial_prompt", LANG);
    }
    const users = await createContributors(wide.db, deps, Array.from({ length: USERS }, (_, i) => `mix ${i}`));
    const failures: unknown[] = [];
    await Promise.all(users.map((user, i) => work(user, i, failures)));
    expect(failures.map((error) => `${sqlState(error) ?? ""} ${(error as Error).message}`)).toEqual([]);

    const db = wide.db;
    const [done] = await db.execute<{ n: number }>(sql`select count(*)::int as n from tasks where done`);
    expect(done!.n).toBeGreaterThan(USERS);
    // Children counts match the children.
    const badChildren = await db.execute(sql`
      select p.id from messages p where p.children_count <> (select count(*) from messages c where c.parent_id = p.id and not c.deleted)`);
    expect(badChildren).toEqual([]);
    // Review counts match the reviews, and never exceed the target.
    const badReviews = await db.execute(sql`
      select m.id from messages m
      where m.review_count <> (select count(*) from text_labels l join tasks t on t.id = l.task_id where l.message_id = m.id and t.done)
         or m.review_count > case when m.parent_id is null then 2 else 1 end`);
    expect(badReviews).toEqual([]);
    // No parent over its limit of counted children (max 2; an assistant message takes one prompter reply).
    const overfull = await db.execute(sql`
      select p.id from messages p
      where (select count(*) from messages c where c.parent_id = p.id and not c.deleted and (c.review_result is true or c.review_count < 1))
        > case when p.role = 'prompter' then 2 else 1 end`);
    expect(overfull).toEqual([]);
    // No tree past its goal.
    const pastGoal = await db.execute(sql`
      select s.message_tree_id from message_tree_states s
      where (select count(*) from messages m where m.message_tree_id = s.message_tree_id and not m.deleted
             and (m.review_result is true or (m.parent_id is not null and m.review_count < 1))) > s.goal_tree_size`);
    expect(pastGoal).toEqual([]);
    // The work rows are exactly what a rebuild computes.
    const before = await db.execute(sql`select kind, target_id from task_work order by 1, 2`);
    await db.execute(sql`select oa_task_work_rebuild()`);
    expect(await db.execute(sql`select kind, target_id from task_work order by 1, 2`)).toEqual(before);
  }, 180_000);
});
