import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/database";
import { exportPreferencePairs, type PreferencePair, type PreferencePairSource, treeRankingPairs } from "./export-pairs";
import { exportSftThreads, type SftThread } from "./export-sft";
import { importOasstTrees } from "./import-trees";
import { collect, idOf, linesOf, msg, parseLines, tree } from "./test-trees";

const t = setupTestDatabase();

beforeAll(async () => {
  const report = await importOasstTrees(
    t.db,
    linesOf(
      tree(
        msg("q", "prompter", { lang: "fr" }, [
          msg("a1", "assistant", { rank: 0 }, [
            msg("follow-up", "prompter", {}, [msg("a3", "assistant", { rank: 0 }), msg("a4", "assistant", { rank: 1 })]),
            msg("unanswered", "prompter"),
          ]),
          msg("a2", "assistant", { rank: 1 }),
          msg("a6", "assistant", { rank: 2, review_result: false }),
          msg("a7", "assistant"),
          msg("gone", "assistant", { deleted: true }),
        ]),
      ),
      tree(msg("synthetic-q", "prompter", {}, [msg("s1", "assistant", { synthetic: true })])),
    ),
    { origin: "training" },
  );
  expect(report.errorCount).toBe(0);
});

const user = (content: string) => ({ role: "user" as const, content });
const assistant = (content: string) => ({ role: "assistant" as const, content });

describe("SFT threads", () => {
  it("writes each root-to-leaf path of accepted live messages, ending on an assistant reply", async () => {
    const threads = parseLines<SftThread>(await collect(exportSftThreads(t.db)));
    expect(threads).toEqual([
      { thread_id: idOf("a3"), messages: [user("q"), assistant("a1"), user("follow-up"), assistant("a3")], lang: "fr", message_tree_id: idOf("q") },
      { thread_id: idOf("a4"), messages: [user("q"), assistant("a1"), user("follow-up"), assistant("a4")], lang: "fr", message_tree_id: idOf("q") },
      { thread_id: idOf("a1"), messages: [user("q"), assistant("a1")], lang: "fr", message_tree_id: idOf("q") },
      { thread_id: idOf("a2"), messages: [user("q"), assistant("a2")], lang: "fr", message_tree_id: idOf("q") },
      { thread_id: idOf("a7"), messages: [user("q"), assistant("a7")], lang: "fr", message_tree_id: idOf("q") },
    ]);
  });

  it("honours tree filters, limit and anonymisation", async () => {
    const withSynthetic = parseLines<SftThread>(await collect(exportSftThreads(t.db, { synthetic: "include" })));
    expect(withSynthetic.map((thread) => thread.thread_id)).toContain(idOf("s1"));
    expect(await collect(exportSftThreads(t.db, { limit: 2 }))).toHaveLength(2);
    // Spam and deleted messages stay out of training data whatever the caller asks for.
    const everything = parseLines<SftThread>(await collect(exportSftThreads(t.db, { spam: "include", deleted: "include" })));
    expect(everything.map((thread) => thread.thread_id)).not.toContain(idOf("a6"));
    const [anonymous] = parseLines<SftThread>(await collect(exportSftThreads(t.db, { anonymizerSeed: "s", limit: 1 })));
    expect(anonymous?.thread_id).not.toBe(idOf("a3"));
    expect(anonymous?.message_tree_id).not.toBe(idOf("q"));
  });
});

describe("preference pairs", () => {
  it("pairs ranked assistant siblings, better first, after the conversation so far", async () => {
    const pairs = parseLines<PreferencePair>(await collect(exportPreferencePairs(t.db)));
    expect(pairs).toEqual([
      { prompt: [user("q")], chosen: "a1", rejected: "a2", lang: "fr", source: "tree_ranking", message_tree_id: idOf("q") },
      {
        prompt: [user("q"), assistant("a1"), user("follow-up")],
        chosen: "a3",
        rejected: "a4",
        lang: "fr",
        source: "tree_ranking",
        message_tree_id: idOf("q"),
      },
    ]);
  });

  it("takes further sources after the trees, with one limit over all", async () => {
    const votes: PreferencePairSource = {
      name: "chat_votes",
      async *pairs() {
        yield { prompt: [user("hi")], chosen: "hello", rejected: "go away", lang: "en", source: "chat_votes" };
        yield { prompt: [user("hi")], chosen: "hey", rejected: "no", lang: "en", source: "chat_votes" };
      },
    };
    const pairs = parseLines<PreferencePair>(await collect(exportPreferencePairs(t.db, { limit: 3 }, {}, [treeRankingPairs, votes])));
    expect(pairs.map((pair) => [pair.source, pair.chosen])).toEqual([
      ["tree_ranking", "a1"],
      ["tree_ranking", "a3"],
      ["chat_votes", "hello"],
    ]);
  });
});
