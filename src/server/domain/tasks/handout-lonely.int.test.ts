import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { type Contributor, createContributors } from "@/test/task-driver";
import type { TaskDto } from "./types";

/**
 * Reply tasks prefer "lonely" parents (spec §3.5 step 6, REPLY): with probability `pLonelyChildExtension`, an
 * assistant reply goes under a prompter message that has exactly one counted reply (fewer than
 * `lonelyChildrenCount`), so that reply gets a sibling to be ranked against, before parents with no reply at all.
 */
const t = setupTestDatabase();

/** The message a reply task answers: the last of its conversation. */
const parentOf = (task: TaskDto) => {
  if (task.payload.type !== "assistant_reply") throw new Error(`not an assistant reply task: ${task.payload.type}`);
  return task.payload.conversation.at(-1)!.id;
};

describe("reply tasks and lonely parents", () => {
  it("hands every assistant reply to the prompt with one reply while it has room, not to the prompts with none", async () => {
    const deps = testTreeDeps({
      goalTreeSize: 20, maxChildrenCount: 5, maxTreeDepth: 3, numReviewsInitialPrompt: 1, numReviewsReply: 1,
      pLonelyChildExtension: 1, lonelyChildrenCount: 2, maxActiveTrees: 10,
    });
    const lang = "hl";
    const [alice, bob, carol, ...others] = (await createContributors(t.db, deps, ["Alice", "Bob", "Carol", "Dan", "Eve", "Fay", "Gus"])) as Contributor[];
    // Four growing trees; one root then gets an accepted assistant reply: the only lonely parent.
    for (let i = 0; i < 4; i++) await alice!.requestAndComplete("initial_prompt", lang);
    for (let i = 0; i < 4; i++) await bob!.requestAndComplete("label_initial_prompt", lang);
    const { task: answered } = await bob!.requestAndComplete("assistant_reply", lang);
    await carol!.requestAndComplete("label_assistant_reply", lang);
    const lonely = parentOf(answered);

    // Four more replies fit under it (five children at most, one written): each goes there, whoever asks. Chosen
    // uniformly among the four roots instead, all four would land there one time in 256.
    const handed = [];
    for (const contributor of others) handed.push(await contributor.request("assistant_reply", lang));
    expect(handed.map(parentOf)).toEqual([lonely, lonely, lonely, lonely]);
  });

  it("finds the one lonely parent among many (more than one chunk of the rules' checks)", async () => {
    // 24 growing trees: the reply sample holds every root, three chunks of the 8 the rules check at a time. The lonely
    // root must come first wherever the sample's random order puts it (ordered by its count of live children).
    const deps = testTreeDeps({
      goalTreeSize: 20, maxChildrenCount: 5, maxTreeDepth: 3, numReviewsInitialPrompt: 1, numReviewsReply: 1,
      pLonelyChildExtension: 1, lonelyChildrenCount: 2, maxActiveTrees: 24,
    });
    const lang = "hm";
    const [alice, bob, carol, ...others] = (await createContributors(t.db, deps, ["Ann", "Ben", "Cat", "Dov", "Eli", "Flo", "Gil"])) as Contributor[];
    for (let i = 0; i < 24; i++) await alice!.requestAndComplete("initial_prompt", lang);
    for (let i = 0; i < 24; i++) await bob!.requestAndComplete("label_initial_prompt", lang);
    const { task: answered } = await bob!.requestAndComplete("assistant_reply", lang);
    await carol!.requestAndComplete("label_assistant_reply", lang);
    const lonely = parentOf(answered);

    // Chosen among one random chunk of 8 of the 24 roots, all four would land there about one time in 80.
    const handed = [];
    for (const contributor of others) handed.push(await contributor.request("assistant_reply", lang));
    expect(handed.map(parentOf)).toEqual([lonely, lonely, lonely, lonely]);
  });
});
