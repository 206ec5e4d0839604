import { desc, sql } from "drizzle-orm";
import type { DbOrTx, Transaction } from "@/server/db/client";
import { arenaModels, arenaRuns } from "@/server/db/schema";
import { type ArenaOptions, fitArena } from "./arena";
import { collectArenaComparisons, type ComparisonOptions } from "./arena-comparisons";

/**
 * The arena job's work (issue 14 item 5): reads the comparisons (arena-comparisons.ts), fits the leaderboard
 * (arena.ts: daily cap per user, random-voter filter, Bradley–Terry with bootstrap intervals, ranks by
 * non-overlapping intervals) and replaces the stored results in the caller's transaction.
 */
/** The fit's settings (the page states them): votes counted per user and UTC day, and bootstrap resamples. */
export const ARENA_DAILY_CAP = 50;
export const ARENA_BOOTSTRAP_SAMPLES = 200;

export type ArenaReport = { comparisons: number; comparisonsUsed: number; models: number; votersKept: number; votersDropped: number };

export async function computeArena(tx: Transaction, options: ComparisonOptions & ArenaOptions = {}): Promise<ArenaReport> {
  const comparisons = await collectArenaComparisons(tx, options);
  const fit = fitArena(comparisons, { dailyCap: ARENA_DAILY_CAP, samples: ARENA_BOOTSTRAP_SAMPLES, ...options });
  const voters = new Set(comparisons.map((comparison) => comparison.userId));
  const report: ArenaReport = {
    comparisons: comparisons.length,
    comparisonsUsed: fit.votesUsed,
    models: fit.entries.length,
    votersKept: voters.size - fit.droppedUsers.length,
    votersDropped: fit.droppedUsers.length,
  };
  await tx.execute(sql`delete from ${arenaModels}`);
  await tx.execute(sql`delete from ${arenaRuns}`);
  if (fit.entries.length > 0) {
    await tx.insert(arenaModels).values(
      fit.entries.map(({ model, rank, strength, lower, upper, votes }) => ({ model, rank, strength, lower, upper, comparisons: votes })),
    );
  }
  await tx.insert(arenaRuns).values({
    id: 1,
    comparisons: report.comparisons,
    comparisonsUsed: report.comparisonsUsed,
    votersKept: report.votersKept,
    votersDropped: report.votersDropped,
  });
  return report;
}

export type ArenaLeaderboard = {
  computedAt: Date | null;
  comparisons: number;
  comparisonsUsed: number;
  votersKept: number;
  votersDropped: number;
  entries: { rank: number; model: string; strength: number; lower: number; upper: number; comparisons: number }[];
};

/** The stored leaderboard, best first; before the first run, an empty board with `computedAt: null`. */
export async function getArenaLeaderboard(db: DbOrTx): Promise<ArenaLeaderboard> {
  const [run] = await db.select().from(arenaRuns).limit(1);
  const rows = await db.select().from(arenaModels).orderBy(arenaModels.rank, desc(arenaModels.strength), arenaModels.model);
  return {
    computedAt: run?.computedAt ?? null,
    comparisons: run?.comparisons ?? 0,
    comparisonsUsed: run?.comparisonsUsed ?? 0,
    votersKept: run?.votersKept ?? 0,
    votersDropped: run?.votersDropped ?? 0,
    entries: rows.map(({ rank, model, strength, lower, upper, comparisons }) => ({ rank, model, strength, lower, upper, comparisons })),
  };
}
