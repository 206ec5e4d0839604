import { eq, inArray, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { tasks } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { createContributors } from "@/test/task-driver";
import { deleteExpiredTasks } from "./cleanup";

const t = setupTestDatabase();

it("deletes expired unanswered tasks and keeps open and completed ones", async () => {
  const deps = testTreeDeps();
  const [a, b, c] = await createContributors(t.db, deps, ["A", "B", "C"]);
  const expired = await a!.request("initial_prompt", "da");
  const open = await b!.request("initial_prompt", "da");
  const { task: done } = await c!.requestAndComplete("initial_prompt", "da");
  await t.db.update(tasks).set({ expiryDate: sql`now() - interval '1 second'` }).where(inArray(tasks.id, [expired.id, done.id]));

  expect(await deleteExpiredTasks(t.db)).toBe(1);
  const left = await t.db.select({ id: tasks.id }).from(tasks).where(inArray(tasks.id, [expired.id, open.id, done.id]));
  expect(left.map((row) => row.id).sort()).toEqual([open.id, done.id].sort());
  expect(await deleteExpiredTasks(t.db)).toBe(0);
  const [kept] = await t.db.select().from(tasks).where(eq(tasks.id, done.id));
  expect(kept!.done).toBe(true);
});
