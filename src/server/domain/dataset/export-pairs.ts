import type { DbOrTx } from "@/server/db/client";
import { createAnonymizer } from "./anonymizer";
import { type ExportFilters, type ResolvedExportFilters } from "./export-filters";
import { childrenByParent } from "./export-node";
import { exportPages } from "./export-pages";
import { type ExportMessageRow } from "./export-queries";
import { type ChatTurn, toChatTurn, trainingFilters } from "./export-sft";
import { type ExportHooks } from "./export-trees";

/** A preference pair for reward-model / DPO training: two replies to the same conversation, better one first. */
export type PreferencePair = {
  /** The conversation so far, ending with the user turn both replies answer. */
  prompt: ChatTurn[];
  chosen: string;
  rejected: string;
  lang: string;
  /** Which source produced the pair (`tree_ranking`; chat votes will add their own). */
  source: string;
  message_tree_id?: string;
};

/**
 * Where pairs come from. Sibling rankings of the conversation trees are the first source; the chat's votes on
 * alternative answers can be added as a second one without touching the writer.
 */
export type PreferencePairSource = {
  name: string;
  pairs: (db: DbOrTx, filters: ResolvedExportFilters, hooks: ExportHooks) => AsyncIterable<PreferencePair>;
};

/** Every ordered pair of ranked assistant siblings (rank i better than rank j) below each reachable prompt. */
export function rankingPairsOfTree(rows: ExportMessageRow[], treeId: string): Omit<PreferencePair, "source">[] {
  const root = rows.find((row) => row.id === treeId);
  if (!root) return [];
  const children = childrenByParent(rows);
  const pairs: Omit<PreferencePair, "source">[] = [];
  const walk = (path: ExportMessageRow[]) => {
    const replies = children.get(path[path.length - 1]!.id) ?? [];
    // childrenByParent sorts by rank, so the ranked replies come first, best first.
    const ranked = replies.filter((reply) => reply.role === "assistant" && reply.rank !== null);
    for (let i = 0; i < ranked.length; i++) {
      for (let j = i + 1; j < ranked.length; j++) {
        const [better, worse] = [ranked[i]!, ranked[j]!];
        if (better.rank === worse.rank) continue;
        pairs.push({ prompt: path.map(toChatTurn), chosen: better.text, rejected: worse.text, lang: root.lang });
      }
    }
    for (const reply of replies) walk([...path, reply]);
  };
  walk([root]);
  return pairs;
}

export const treeRankingPairs: PreferencePairSource = {
  name: "tree_ranking",
  async *pairs(db, filters, hooks) {
    const anonymizer = createAnonymizer(filters.anonymizerSeed);
    let read = 0;
    for await (const page of exportPages(db, filters, "trees")) {
      for (const tree of page.trees) {
        for (const pair of rankingPairsOfTree(page.messagesByTree.get(tree.messageTreeId) ?? [], tree.messageTreeId)) {
          yield { ...pair, source: "tree_ranking", message_tree_id: anonymizer.message(tree.messageTreeId) };
        }
      }
      read += page.trees.length;
      hooks.onTrees?.(read);
    }
  },
};

/** Preference-pair JSON Lines from each source in turn; `limit` counts pairs over all sources. */
export async function* exportPreferencePairs(
  db: DbOrTx,
  input: ExportFilters = {},
  hooks: ExportHooks = {},
  sources: readonly PreferencePairSource[] = [treeRankingPairs],
): AsyncGenerator<string> {
  const filters = trainingFilters(input);
  const limit = filters.limit ?? Number.POSITIVE_INFINITY;
  if (limit === 0) return;
  let written = 0;
  for (const source of sources) {
    for await (const pair of source.pairs(db, filters, hooks)) {
      yield JSON.stringify(pair);
      if (++written >= limit) return;
    }
  }
}
