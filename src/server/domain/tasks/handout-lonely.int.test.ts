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

/**
 * `roots` growing trees in `lang`; one root then gets an accepted assistant reply, the only lonely parent; then four
 * more contributors each ask for an assistant reply. Returns the lonely root and the parents of those four tasks.
 */
async function handOutAfterOneLonelyReply(roots: number, lang: string, names: string[]) {
  const deps = testTreeDeps({
    goalTreeSize: 20, maxChildrenCount: 5, maxTreeDepth: 3, numReviewsInitialPrompt: 1, numReviewsReply: 1,
    pLonelyChildExtension: 1, lonelyChildrenCount: 2, maxActiveTrees: roots,
  });
  const [author, reviewer, replyReviewer, ...others] = (await createContributors(t.db, deps, names)) as Contributor[];
  for (let i = 0; i < roots; i++) await author!.requestAndComplete("initial_prompt", lang);
  for (let i = 0; i < roots; i++) await reviewer!.requestAndComplete("label_initial_prompt", lang);
  const { task: answered } = await reviewer!.requestAndComplete("assistant_reply", lang);
  await replyReviewer!.requestAndComplete("label_assistant_reply", lang);
  const handed = [];
  for (const contributor of others) handed.push(await contributor.request("assistant_reply", lang));
  return { lonely: parentOf(answered), parents: handed.map(parentOf) };
}

describe("reply tasks and lonely parents", () => {
  it("hands every assistant reply to the prompt with one reply while it has room, not to the prompts with none", async () => {
    // Four more replies fit under the lonely root (five children at most, one written): each goes there, whoever
    // asks. Chosen uniformly among the four roots instead, all four would land there one time in 256.
    const { lonely, parents } = await handOutAfterOneLonelyReply(4, "hl", ["Alice", "Bob", "Carol", "Dan", "Eve", "Fay", "Gus"]);
    expect(parents).toEqual([lonely, lonely, lonely, lonely]);
  });

  it("finds the one lonely parent among many (more than one chunk of the rules' checks)", async () => {
    // 24 growing trees: the reply sample holds every root, three chunks of the 8 the rules check at a time. The lonely
    // root must come first wherever the sample's random order puts it (ordered by its count of live children).
    // Chosen among one random chunk of 8 of the 24 roots, all four would land there about one time in 80.
    const { lonely, parents } = await handOutAfterOneLonelyReply(24, "hm", ["Ann", "Ben", "Cat", "Dov", "Eli", "Flo", "Gil"]);
    expect(parents).toEqual([lonely, lonely, lonely, lonely]);
  });
});
