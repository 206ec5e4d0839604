import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages, messageTreeStates, type TreeState } from "@/server/db/schema";
import { treeConfigForLanguage } from "./config";
import type { TreeDeps } from "./deps";
import { runPromptLottery } from "./lottery";
import { isTerminalTreeState } from "./states";

export type TreeStateRow = typeof messageTreeStates.$inferSelect;

/** Reads a tree's state row and locks it for the rest of the transaction (all transitions go through this). */
export async function lockTreeState(tx: DbOrTx, treeId: string): Promise<TreeStateRow | null> {
  const [row] = await tx.select().from(messageTreeStates).where(eq(messageTreeStates.messageTreeId, treeId)).for("update");
  return row ?? null;
}

/**
 * Moves a tree to `state`; terminal states deactivate it (spec §3.2). When an active tree turns terminal, a
 * backlog tree of its language may be activated, as in the original's `_enter_state`.
 */
export async function enterTreeState(tx: DbOrTx, tree: TreeStateRow, state: TreeState, deps: TreeDeps): Promise<TreeStateRow> {
  const [updated] = await tx
    .update(messageTreeStates)
    .set({ state, active: !isTerminalTreeState(state) })
    .where(eq(messageTreeStates.messageTreeId, tree.messageTreeId))
    .returning();
  if (tree.active && isTerminalTreeState(state)) {
    const settings = treeConfigForLanguage(deps.config, tree.lang);
    if (deps.random() < settings.pActivateBacklogTree) await activateBacklogTree(tx, tree.lang, deps);
    else if (settings.minActiveRankingsPerLang > 0 && (await countActiveRankingTrees(tx, tree.lang)) < settings.minActiveRankingsPerLang) {
      await activateBacklogTree(tx, tree.lang, deps);
    }
  }
  return updated!;
}

/**
 * After a tree was removed (purged) with its state row: a growing tree frees its slot for a waiting prompt, as
 * halting does (issue 12 #21). `removed` is the state row as it was, locked by the caller before the removal.
 */
export async function treeRemoved(tx: DbOrTx, removed: TreeStateRow | null, deps: TreeDeps): Promise<void> {
  if (removed?.active && removed.state === "growing") await runPromptLottery(tx, removed.lang, deps);
}

async function countActiveRankingTrees(tx: DbOrTx, lang: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(messageTreeStates)
    .where(and(eq(messageTreeStates.lang, lang), eq(messageTreeStates.state, "ranking"), eq(messageTreeStates.active, true)));
  return row?.n ?? 0;
}

/**
 * Puts one `backlog_ranking` tree of the language into `ranking` (spec §3.2); a backlog tree with nothing to rank
 * is aborted and the next one tried. `SKIP LOCKED` keeps two activations from picking the same tree.
 */
export async function activateBacklogTree(tx: DbOrTx, lang: string, deps: TreeDeps): Promise<string | null> {
  const rankRole = treeConfigForLanguage(deps.config, lang).rankPrompterReplies ? null : "assistant";
  for (let attempt = 0; attempt < 5; attempt++) {
    const [candidate] = await tx
      .select()
      .from(messageTreeStates)
      .where(and(eq(messageTreeStates.state, "backlog_ranking"), eq(messageTreeStates.lang, lang)))
      .limit(1)
      .for("update", { skipLocked: true });
    if (!candidate) return null;
    const rankable = await tx.execute<{ parent_id: string }>(sql`
      select c.parent_id from ${messages} c
      where c.message_tree_id = ${candidate.messageTreeId} and c.parent_id is not null
        and not c.deleted and c.review_result is true ${rankRole ? sql`and c.role = ${rankRole}` : sql``}
      group by c.parent_id having count(*) > 1 limit 1`);
    const next: TreeState = rankable.length > 0 ? "ranking" : "aborted_low_grade";
    await tx
      .update(messageTreeStates)
      .set({ state: next, active: next === "ranking" })
      .where(eq(messageTreeStates.messageTreeId, candidate.messageTreeId));
    if (next === "ranking") return candidate.messageTreeId;
  }
  return null;
}
