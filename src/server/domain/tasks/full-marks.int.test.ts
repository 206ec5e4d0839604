import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { taskWork, tasks } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { createContributors } from "@/test/task-driver";
import { sampleWork } from "./candidates";
import { FULL_MARK_SECONDS } from "./request-task";

/**
 * Full marks on the work rows (migration `handout_full_marks`, issue 15): when every slot of a target is reserved,
 * the request that finds it closed to everyone marks its work row, and later requests leave it out of their samples
 * instead of checking it again — so a campaign whose work is all reserved answers "no task" at the cost of a few
 * index reads. A mark must never hide work that is open: it is cleared by a skip, and it lapses with the reservation
 * that caused it.
 */
const t = setupTestDatabase();
const NO_TASK = { cause: { code: "TASK_REQUESTED_TYPE_NOT_AVAILABLE" } };

/** A prompt in review that needs `reviews` reviews, and as many reviewers holding one review task each. */
async function fullyReservedPrompt(lang: string, reviews: number, overrides: Parameters<typeof testTreeDeps>[0] = {}) {
  const deps = testTreeDeps({ numReviewsInitialPrompt: reviews, ...overrides });
  const [author, ...holders] = await createContributors(t.db, deps, [`${lang}-author`, ...Array.from({ length: reviews }, (_, i) => `${lang}-holder-${i}`)]);
  const promptId = (await author!.requestAndComplete("initial_prompt", lang)).result!;
  const held = [];
  for (const holder of holders) held.push({ holder: holder!, task: await holder!.request("label_initial_prompt", lang) });
  const [late] = await createContributors(t.db, deps, [`${lang}-late`]);
  return { deps, author: author!, held, late: late!, promptId };
}

const workRow = async (targetId: string) =>
  (await t.db.select().from(taskWork).where(and(eq(taskWork.targetId, targetId), eq(taskWork.kind, "label_initial_prompt"))))[0];

describe("full marks on the hand-out's work rows", () => {
  it("marks a fully reserved target until its first reservation lapses, and later samples leave it out", async () => {
    const { late, promptId } = await fullyReservedPrompt("fm-aa", 2);
    expect((await workRow(promptId))!.fullUntil).toBeNull();

    await expect(late.request("label_initial_prompt", "fm-aa")).rejects.toMatchObject(NO_TASK);

    const row = await workRow(promptId);
    const [lapse] = await t.db.select({ at: sql<Date>`min(least(${tasks.createdDate} + interval '300 seconds', ${tasks.expiryDate}))` })
      .from(tasks).where(and(eq(tasks.parentMessageId, promptId), eq(tasks.done, false), eq(tasks.skipped, false)));
    expect(row!.fullUntil).not.toBeNull();
    // Until the first reservation lapses, but never more than FULL_MARK_SECONDS ahead.
    expect(row!.fullUntil!.getTime()).toBeLessThanOrEqual(new Date(lapse!.at).getTime());
    expect(row!.fullUntil!.getTime()).toBeLessThanOrEqual(Date.now() + FULL_MARK_SECONDS * 1000 + 1000);
    expect((await sampleWork(t.db, "label_initial_prompt", "fm-aa", () => 0.5)).ids).toEqual([]);
  });

  it("frees the slot at once when a holder skips", async () => {
    const { late, held, promptId } = await fullyReservedPrompt("fm-bb", 2);
    await expect(late.request("label_initial_prompt", "fm-bb")).rejects.toMatchObject(NO_TASK);
    expect((await workRow(promptId))!.fullUntil).not.toBeNull();

    await held[0]!.holder.caller.tasks.skip({ taskId: held[0]!.task.id, reason: "not for me" });

    expect((await workRow(promptId))!.fullUntil).toBeNull();
    const task = await late.request("label_initial_prompt", "fm-bb");
    expect(task.payload).toMatchObject({ messageId: promptId });
  });

  it("shows the target again when the reservation that filled it lapses, with no event", async () => {
    // Reservations count for one second only: the mark lasts no longer than that.
    const { late, promptId } = await fullyReservedPrompt("fm-cc", 1, { recentTasksSpanSec: 1 });
    // The holder's task may already have lapsed on a slow machine; make sure it counts when the late user asks.
    await t.db.update(tasks).set({ createdDate: sql`now()` }).where(eq(tasks.parentMessageId, promptId));
    await expect(late.request("label_initial_prompt", "fm-cc")).rejects.toMatchObject(NO_TASK);
    const marked = await workRow(promptId);
    expect(marked!.fullUntil).not.toBeNull();
    expect(marked!.fullUntil!.getTime()).toBeLessThanOrEqual(Date.now() + 1500);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, marked!.fullUntil!.getTime() - Date.now()) + 300));

    const task = await late.request("label_initial_prompt", "fm-cc");
    expect(task.payload).toMatchObject({ messageId: promptId });
  });

  it("does not mark a target that is closed only to the user who asked", async () => {
    // The author may not review their own prompt, but everyone else still may.
    const deps = testTreeDeps({ numReviewsInitialPrompt: 2 });
    const [author, reviewer] = await createContributors(t.db, deps, ["fm-dd-author", "fm-dd-reviewer"]);
    const promptId = (await author!.requestAndComplete("initial_prompt", "fm-dd")).result!;

    await expect(author!.request("label_initial_prompt", "fm-dd")).rejects.toMatchObject(NO_TASK);

    expect((await workRow(promptId))!.fullUntil).toBeNull();
    const task = await reviewer!.request("label_initial_prompt", "fm-dd");
    expect(task.payload).toMatchObject({ messageId: promptId });
  });

  it("clears the marks of a tree when one of its messages changes", async () => {
    const { late, promptId } = await fullyReservedPrompt("fm-ee", 1);
    await expect(late.request("label_initial_prompt", "fm-ee")).rejects.toMatchObject(NO_TASK);
    expect((await workRow(promptId))!.fullUntil).not.toBeNull();

    // Any structural change of a message in the tree (here its language) makes the rows be computed afresh.
    await t.db.execute(sql`update messages set lang = 'fm-zz' where id = ${promptId}`);

    expect((await workRow(promptId))!.fullUntil).toBeNull();
  });

  it("answers every racing request with a task or 'none', and hands out every slot a skip frees", async () => {
    // Two slots, both held; twelve late reviewers ask at once while both holders skip. Whatever the interleaving,
    // no request fails otherwise, the slots are never overshot, and afterwards no mark hides the freed slots.
    const { deps, held, promptId } = await fullyReservedPrompt("fm-ff", 2);
    const late = await createContributors(t.db, deps, Array.from({ length: 12 }, (_, i) => `fm-ff-late-${i}`));
    const results = await Promise.allSettled([
      ...late.map((user) => user.request("label_initial_prompt", "fm-ff")),
      ...held.map(({ holder, task }) => holder.caller.tasks.skip({ taskId: task.id, reason: "race" })),
    ]);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => (r.reason as { cause?: { code?: string } }).cause?.code);
    expect(failures.filter((code) => code !== "TASK_REQUESTED_TYPE_NOT_AVAILABLE")).toEqual([]);

    const open = async () => Number((await t.db.select({ n: sql<number>`count(*)::int` }).from(tasks)
      .where(and(eq(tasks.parentMessageId, promptId), eq(tasks.done, false), eq(tasks.skipped, false))))[0]!.n);
    expect(await open()).toBeLessThanOrEqual(2);
    // Every slot the skips freed is handed out to the late reviewers who got nothing, within a mark's lifetime.
    const waiting = late.filter((_, i) => results[i]!.status === "rejected");
    const deadline = Date.now() + (FULL_MARK_SECONDS + 5) * 1000;
    for (const user of waiting) {
      if ((await open()) >= 2) break;
      for (;;) {
        const answer = await user.request("label_initial_prompt", "fm-ff").catch(() => null);
        if (answer || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    expect(await open()).toBe(2);
  }, 60_000);
});
