import { integer, pgTable, real, smallint, varchar } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";

/**
 * Results of the arena job (src/server/domain/quality/arena-compute.ts, issue 14 item 5). Each run replaces every row
 * of both tables in one transaction, so readers always see one complete run.
 */

/** One model on the leaderboard: Bradley–Terry log-strength with its bootstrap 95 % interval. */
export const arenaModels = pgTable("arena_models", {
  model: varchar({ length: 200 }).primaryKey(),
  /** 1 + the number of models whose whole interval lies above this one's (ties share a rank). */
  rank: integer().notNull(),
  strength: real().notNull(),
  lower: real().notNull(),
  upper: real().notNull(),
  /** Comparisons that counted (after the daily cap and the random-voter filter) in which this model took part. */
  comparisons: integer().notNull(),
  computedAt: createdAt(),
});

/** The last run's totals (one row, id 1). */
export const arenaRuns = pgTable("arena_runs", {
  id: smallint().primaryKey().default(1),
  /** Comparisons read from the chats (one per user and pair of messages). */
  comparisons: integer().notNull(),
  /** Comparisons that counted in the fit. */
  comparisonsUsed: integer().notNull(),
  votersKept: integer().notNull(),
  votersDropped: integer().notNull(),
  computedAt: createdAt(),
});
