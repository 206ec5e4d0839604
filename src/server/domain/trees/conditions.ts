import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";
import { rankingsNeeded, reviewsNeededSql } from "@/server/domain/quality/adaptive-reviews";
import { treeConfigForLanguage } from "./config";
import type { TreeDeps } from "./deps";
import { runPromptLottery } from "./lottery";
import { findRankableParents, writeConsensusRanks } from "./scoring";
import { enterTreeState, lockTreeState, type TreeStateRow } from "./transitions";

/** The tree's state row under its lock: `locked` when it is that tree's (see `checkRankingCondition`), else locked now. */
async function lockedOrLock(tx: DbOrTx, treeId: string, locked: TreeStateRow | null | undefined): Promise<TreeStateRow | null> {
  return locked?.messageTreeId === treeId ? locked : lockTreeState(tx, treeId);
}

/**
 * growing → ranking once the tree has `goal` accepted live messages and nothing awaits review; growing →
 * halted_by_moderator when everything was deleted (spec §3.2). A tree that enters ranking is checked for scoring at
 * once, so a tree with nothing to rank never sits in `ranking` (fix §8.8).
 * `locked`: the tree's state row as this transaction read it under its lock, when nothing has changed it since
 * (saves reading it again).
 */
export async function checkRankingCondition(tx: DbOrTx, treeId: string, deps: TreeDeps, locked?: TreeStateRow | null): Promise<TreeStateRow | null> {
  const tree = await lockedOrLock(tx, treeId, locked);
  if (!tree || !tree.active || tree.state !== "growing") return tree;
  const settings = treeConfigForLanguage(deps.config, tree.lang);
  const [counts] = await tx
    .select({
      size: sql<number>`count(*) filter (where ${messages.reviewResult} is true)::int`,
      awaiting: sql<number>`count(*) filter (where ${messages.reviewResult} is not true and ${messages.reviewCount} < ${reviewsNeededSql(sql`${messages}`, settings)})::int`,
    })
    .from(messages)
    .where(and(eq(messages.messageTreeId, treeId), eq(messages.deleted, false)));
  const size = counts?.size ?? 0;
  if (size === 0) {
    const halted = await enterTreeState(tx, tree, "halted_by_moderator", deps);
    await runPromptLottery(tx, tree.lang, deps);
    return halted;
  }
  if (size < tree.goalTreeSize || (counts?.awaiting ?? 0) > 0) return tree;
  await enterTreeState(tx, tree, "ranking", deps);
  await runPromptLottery(tx, tree.lang, deps);
  return checkScoringCondition(tx, treeId, deps);
}

/**
 * ranking → ready_for_scoring → ready_for_export once every rankable parent has the required number of completed
 * rankings (spec §3.2, §3.7); a failure while scoring leaves the tree in scoring_failed with the ranks unchanged.
 */
export async function checkScoringCondition(tx: DbOrTx, treeId: string, deps: TreeDeps, locked?: TreeStateRow | null): Promise<TreeStateRow | null> {
  const tree = await lockedOrLock(tx, treeId, locked);
  if (!tree || !tree.active || (tree.state !== "ranking" && tree.state !== "ready_for_scoring")) return tree;
  const settings = treeConfigForLanguage(deps.config, tree.lang);
  const parents = await findRankableParents(tx, treeId, settings.rankPrompterReplies);
  if (parents.some((parent) => parent.completedRankings < rankingsNeeded(parent, settings))) return tree;
  const scoring = await enterTreeState(tx, tree, "ready_for_scoring", deps);
  try {
    // A savepoint: a failed write-back is rolled back on its own and the tree is marked instead.
    await tx.transaction((savepoint) => writeConsensusRanks(savepoint, parents));
  } catch (error) {
    console.error(`[trees] scoring of ${treeId} failed:`, error);
    return enterTreeState(tx, scoring, "scoring_failed", deps);
  }
  return enterTreeState(tx, scoring, "ready_for_export", deps);
}
