import { sql } from "drizzle-orm";
import { check, doublePrecision, index, integer, pgTable, primaryKey, uuid, varchar } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";
import { timeFrame } from "./stats";

const count = () => integer();

/**
 * Every scored figure of the leaderboard and the trollboard per user, from each of the user's time buckets on
 * (src/server/domain/leaderboard/rollup.ts): a row holds the user's figures of its bucket and every later one (a
 * suffix sum), and the bucket of the user's next older row, so a frame's figures are one row per user — the oldest
 * at or after the frame's start, picked with a filter during one scan — and a full rebuild of every board neither
 * sorts nor groups. A bucket is the UTC minute of the contributions (for those less than two days old when the row
 * was written), their UTC day (up to 32 days old) or `-infinity` (older: they count in the total only), so no bucket
 * but the minute containing the day board's start ever straddles a frame boundary. Rows are rewritten per user by
 * `flushDirtyUsers` (the users the triggers mark) and all at once by `repairRollup`. Null counts are zeros (a
 * reviewer's buckets have no troll figures, and null columns take no space).
 */
export const leaderboardRollup = pgTable(
  "leaderboard_rollup",
  {
    userId: uuid().notNull(),
    bucket: timestamptz().notNull(),
    /** The bucket of the user's next older row (null: this is the user's oldest). */
    olderBucket: timestamptz(),
    /** Leaderboard contributions from the bucket on (the user has a leaderboard row in a frame iff some are in it). */
    lbN: count(),
    prompts: count(),
    acceptedPrompts: count(),
    repliesAssistant: count(),
    acceptedRepliesAssistant: count(),
    repliesPrompter: count(),
    acceptedRepliesPrompter: count(),
    labelsSimple: count(),
    labelsFull: count(),
    rankingsTotal: count(),
    rankingsGood: count(),
    replyRanked1: integer("reply_ranked_1"),
    replyRanked2: integer("reply_ranked_2"),
    replyRanked3: integer("reply_ranked_3"),
    /** Live messages authored from the bucket on (the user has a trollboard row in a frame iff some are in it). */
    trollN: count(),
    upvotes: count(),
    downvotes: count(),
    redFlags: count(),
    spamPrompts: count(),
    spam: count(),
    langMismatch: count(),
    notAppropriate: count(),
    pii: count(),
    hateSpeech: count(),
    sexualContent: count(),
    politicalContent: count(),
    qualitySum: doublePrecision(),
    qualityN: count(),
    humorSum: doublePrecision(),
    humorN: count(),
    toxicitySum: doublePrecision(),
    toxicityN: count(),
    violenceSum: doublePrecision(),
    violenceN: count(),
    helpfulnessSum: doublePrecision(),
    helpfulnessN: count(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.bucket] }),
    // The users with contributions in a span of buckets: who a window's move changes (advance-boards.ts).
    index("leaderboard_rollup_bucket_idx").on(t.bucket, t.userId),
  ],
);

/**
 * The window start each board's frame was last computed for, for every user at once (a full rebuild or the last
 * advance; advance-boards.ts): the next advance recomputes only the users with rollup buckets between it and the new
 * start. No row: the frame has never been built (or a repair is due), so the next advance rebuilds it in full.
 * `total` has no start (null): its row only says the frame was built.
 */
export const leaderboardFrameBases = pgTable(
  "leaderboard_frame_bases",
  {
    board: varchar({ length: 16 }).$type<"leaderboards" | "trollboards">().notNull(),
    timeFrame: timeFrame().notNull(),
    baseDate: timestamptz(),
    /**
     * The instant those windows were computed at. A flush never computes rows for an earlier instant (it would
     * bring back contributions that an advance already dropped from a window; flush-dirty-users.ts).
     */
    asOf: timestamptz().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.board, t.timeFrame] }),
    check("leaderboard_frame_bases_board_check", sql`${t.board} in ('leaderboards', 'trollboards')`),
  ],
);
