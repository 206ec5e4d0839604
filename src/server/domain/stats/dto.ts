import { z } from "zod";
import { TREE_STATES } from "@/server/db/schema";

/** The cached statistics by name (spec §4.6) and their shapes; the DTO validates what the job stored. */
export const ZCachedStatsValues = z.object({
  /** Live, accepted, human-written messages per language. */
  human_messages_by_lang: z.record(z.string(), z.number().int()),
  /** The same messages per role (prompter / assistant). */
  human_messages_by_role: z.record(z.string(), z.number().int()),
  message_trees_by_state: z.record(z.string(), z.number().int()),
  /** Trees per root language and state, ordered by language then state. */
  message_trees_states_by_lang: z.array(z.object({ lang: z.string(), state: z.enum(TREE_STATES), count: z.number().int() })),
  users_accepted_tos: z.object({ count: z.number().int() }),
  /** Ours, for the stats page chart: contributions per UTC day over the last 30 days (zero days included). */
  contributions_by_day: z.array(
    z.object({ day: z.string(), prompts: z.number().int(), replies: z.number().int(), labels: z.number().int(), rankings: z.number().int() }),
  ),
});
export type CachedStatsValues = z.infer<typeof ZCachedStatsValues>;
export type CachedStatName = keyof CachedStatsValues;
export const CACHED_STAT_NAMES = Object.keys(ZCachedStatsValues.shape) as CachedStatName[];

export const ZCachedStats = z.object({
  /** Oldest refresh time among the stats present; null when nothing has been computed yet. */
  lastUpdated: z.date().nullable(),
  stats: ZCachedStatsValues.partial(),
});
export type CachedStats = z.infer<typeof ZCachedStats>;
