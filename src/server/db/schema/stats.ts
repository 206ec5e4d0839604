import { index, integer, jsonb, pgEnum, pgTable, primaryKey, real, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt, timestamptz } from "./columns";

export const timeFrame = pgEnum("time_frame", ["day", "week", "month", "total"]);
export const TIME_FRAMES = timeFrame.enumValues;
export type TimeFrame = (typeof TIME_FRAMES)[number];

/**
 * Contribution counters and leader score per user and time frame (spec backend §4.3). No stored rank: readers rank
 * at read time from the board-order index (read-leaderboard.ts), so a row changes only when its figures do.
 */
export const userStats = pgTable(
  "user_stats",
  {
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    timeFrame: timeFrame().notNull(),
    baseDate: timestamptz(),
    leaderScore: integer().notNull().default(0),
    modifiedDate: createdAt(),
    prompts: integer().notNull().default(0),
    repliesAssistant: integer().notNull().default(0),
    repliesPrompter: integer().notNull().default(0),
    labelsSimple: integer().notNull().default(0),
    labelsFull: integer().notNull().default(0),
    rankingsTotal: integer().notNull().default(0),
    rankingsGood: integer().notNull().default(0),
    acceptedPrompts: integer().notNull().default(0),
    acceptedRepliesAssistant: integer().notNull().default(0),
    acceptedRepliesPrompter: integer().notNull().default(0),
    replyRanked1: integer("reply_ranked_1").notNull().default(0),
    replyRanked2: integer("reply_ranked_2").notNull().default(0),
    replyRanked3: integer("reply_ranked_3").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.timeFrame, t.userId] }),
    // The board's order (score desc, user id) itself: a page, the rows around a viewer and the count of rows ahead
    // of them are index range scans, never a sort of the whole frame.
    index("user_stats_board_order_idx").on(t.timeFrame, t.leaderScore.desc().nullsFirst(), t.userId),
  ],
);

/**
 * The number of `user_stats` rows per time frame, kept by statement triggers on that table (migration
 * `leaderboard_frame_counts`), so a leaderboard read learns how many users it ranks without counting a whole frame
 * (a parallel scan of every frame's rows on each read at 100k users).
 */
export const leaderboardFrameCounts = pgTable("leaderboard_frame_counts", {
  timeFrame: timeFrame().primaryKey(),
  rows: integer().notNull().default(0),
});

/** Signals of abusive behaviour per author and time frame (spec backend §4.4). */
export const trollStats = pgTable(
  "troll_stats",
  {
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    timeFrame: timeFrame().notNull(),
    baseDate: timestamptz(),
    trollScore: integer().notNull().default(0),
    modifiedDate: createdAt(),
    redFlags: integer().notNull().default(0),
    upvotes: integer().notNull().default(0),
    downvotes: integer().notNull().default(0),
    spamPrompts: integer().notNull().default(0),
    quality: real(),
    humor: real(),
    toxicity: real(),
    violence: real(),
    helpfulness: real(),
    spam: integer().notNull().default(0),
    langMismatch: integer().notNull().default(0),
    notAppropriate: integer().notNull().default(0),
    pii: integer().notNull().default(0),
    hateSpeech: integer().notNull().default(0),
    sexualContent: integer().notNull().default(0),
    politicalContent: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.timeFrame, t.userId] })],
);

/** Expensive aggregate statistics, refreshed by a scheduled job (spec backend §4.6). */
export const cachedStats = pgTable("cached_stats", {
  name: varchar({ length: 128 }).primaryKey(),
  modifiedDate: createdAt(),
  stats: jsonb().$type<unknown>().notNull(),
});
