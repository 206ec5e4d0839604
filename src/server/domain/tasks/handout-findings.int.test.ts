import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messageTreeStates } from "@/server/db/schema";
import { setupTestDatabase } from "@/test/database";
import { callerFor, createTestUser, testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";
import { expectAppError } from "@/test/trpc-errors";

/** Hand-out and tree-manager findings of issue 12 (#21, #22), each scenario in its own language. */
const t = setupTestDatabase();

async function treeState(treeId: string) {
  const [row] = await t.db.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, treeId));
  return row;
}

describe("tree-level reservation (issue 12 #22)", () => {
  it("counts the requester's own open reply task, so one user cannot push a tree past its goal", async () => {
    // Goal 3: root + an accepted assistant reply = 2 counted, one slot left, under two parents with room.
    const deps = testTreeDeps({ goalTreeSize: 3, numReviewsInitialPrompt: 1, numReviewsReply: 1, maxChildrenCount: 3, maxTreeDepth: 3, pLonelyChildExtension: 0 });
    const [alice, bob, carol, dave, erin] = (await createContributors(t.db, deps, ["Alice", "Bob", "Carol", "Dave", "Erin"])) as Contributor[];
    const rootId = (await alice!.requestAndComplete("initial_prompt", "ha")).result!;
    await bob!.requestAndComplete("label_initial_prompt", "ha");
    await bob!.requestAndComplete("assistant_reply", "ha");
    await carol!.requestAndComplete("label_assistant_reply", "ha");
    expect(await treeState(rootId)).toMatchObject({ state: "growing" });

    const first = await dave!.request("assistant_reply", "ha");
    expect(first.type).toBe("assistant_reply");
    // Dave's open task holds the tree's last slot: neither he nor anyone else gets a second reply in this tree.
    await expectAppError(dave!.request("prompter_reply", "ha"), { code: "NOT_FOUND", appCode: "TASK_REQUESTED_TYPE_NOT_AVAILABLE" });
    await expectAppError(erin!.request("prompter_reply", "ha"), { code: "NOT_FOUND", appCode: "TASK_REQUESTED_TYPE_NOT_AVAILABLE" });
    expect((await dave!.caller.tasks.availability({ lang: "ha" })).prompter_reply).toBe(0);
    await dave!.complete(first);
    await expectAppError(dave!.request("prompter_reply", "ha"), { code: "NOT_FOUND", appCode: "TASK_REQUESTED_TYPE_NOT_AVAILABLE" });
  });
});

describe("purging a growing tree (issue 12 #21)", () => {
  it("runs the prompt lottery at once, like halting, so a waiting prompt takes the freed slot", async () => {
    const deps = testTreeDeps({ maxActiveTrees: 1, numReviewsInitialPrompt: 1 });
    const [alice, bob] = (await createContributors(t.db, deps, ["Alice", "Bob"])) as Contributor[];
    const first = (await alice!.requestAndComplete("initial_prompt", "hb")).result!;
    await bob!.requestAndComplete("label_initial_prompt", "hb");
    const second = (await alice!.requestAndComplete("initial_prompt", "hb")).result!;
    await bob!.requestAndComplete("label_initial_prompt", "hb");
    expect(await treeState(first)).toMatchObject({ state: "growing", active: true });
    expect(await treeState(second)).toMatchObject({ state: "prompt_lottery_waiting" });

    const moderator = await createTestUser(t.db, { role: "moderator" });
    await callerFor(t.db, moderator.id, {}, deps).moderation.purgeTree({ messageId: first, preview: false });
    expect(await treeState(first)).toBeUndefined();
    expect(await treeState(second)).toMatchObject({ state: "growing", active: true });
  });
});
