import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";

const t = setupTestDatabase();

async function work() {
  const rows = await t.db.execute<{ kind: string; target_id: string; lang: string }>(sql`select kind, target_id, lang from task_work order by kind, target_id`);
  return rows.map((row) => `${row.kind}:${row.target_id}`);
}

describe("task_work triggers", () => {
  it("follow a tree from prompt review to ranking", async () => {
    const deps = testTreeDeps({ goalTreeSize: 3, numReviewsInitialPrompt: 1, numReviewsReply: 1, maxChildrenCount: 2, maxTreeDepth: 2, pLonelyChildExtension: 0 });
    const [a, b] = (await createContributors(t.db, deps, ["A", "B"])) as Contributor[];
    const root = (await a!.requestAndComplete("initial_prompt", "wa")).result!;
    expect(await work()).toEqual([`label_initial_prompt:${root}`]);
    await b!.requestAndComplete("label_initial_prompt", "wa");
    expect(await work()).toEqual([`assistant_reply:${root}`]);
    const r1 = (await b!.requestAndComplete("assistant_reply", "wa")).result!;
    expect(await work()).toEqual([`assistant_reply:${root}`, `label_assistant_reply:${r1}`]);
  });
});
