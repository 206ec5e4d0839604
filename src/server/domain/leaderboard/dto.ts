import { z } from "zod";
import { TIME_FRAMES, type trollStats, type userStats } from "@/server/db/schema";

export const ZTimeFrame = z.enum(TIME_FRAMES);

/** The contribution counters of one user in one time frame (spec §4.3), without internal columns. */
export const ZContributionCounters = z.object({
  leaderScore: z.number().int(),
  prompts: z.number().int(),
  acceptedPrompts: z.number().int(),
  repliesAssistant: z.number().int(),
  acceptedRepliesAssistant: z.number().int(),
  repliesPrompter: z.number().int(),
  acceptedRepliesPrompter: z.number().int(),
  labelsSimple: z.number().int(),
  labelsFull: z.number().int(),
  rankingsTotal: z.number().int(),
  rankingsGood: z.number().int(),
  replyRanked1: z.number().int(),
  replyRanked2: z.number().int(),
  replyRanked3: z.number().int(),
});

/** A leaderboard row: public name only, never the email (display names fall back to a short id). */
export const ZLeaderboardEntry = ZContributionCounters.extend({
  rank: z.number().int(),
  userId: z.uuid(),
  displayName: z.string(),
  image: z.string().nullable(),
});
export type LeaderboardEntry = z.infer<typeof ZLeaderboardEntry>;

export const ZLeaderboard = z.object({
  timeFrame: ZTimeFrame,
  /** When the frame was last recomputed; null before the first run. */
  lastUpdated: z.date().nullable(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Ranked (visible) users in the frame. */
  totalRanked: z.number().int(),
  entries: z.array(ZLeaderboardEntry),
  /** The viewer's own rank and the rows around it; null when they are hidden, disabled or have no rank yet. */
  viewer: z.object({ rank: z.number().int(), window: z.array(ZLeaderboardEntry) }).nullable(),
});
export type Leaderboard = z.infer<typeof ZLeaderboard>;

type UserStatsRow = typeof userStats.$inferSelect;

export function toCounters(row: UserStatsRow): z.infer<typeof ZContributionCounters> {
  const { leaderScore, prompts, acceptedPrompts, repliesAssistant, acceptedRepliesAssistant, repliesPrompter,
    acceptedRepliesPrompter, labelsSimple, labelsFull, rankingsTotal, rankingsGood, replyRanked1, replyRanked2, replyRanked3 } = row;
  return { leaderScore, prompts, acceptedPrompts, repliesAssistant, acceptedRepliesAssistant, repliesPrompter,
    acceptedRepliesPrompter, labelsSimple, labelsFull, rankingsTotal, rankingsGood, replyRanked1, replyRanked2, replyRanked3 };
}

/** Never the email's local part on a public board (unlike `displayNameOf`, which is for the user themself). */
export function publicDisplayName(user: { id: string; name: string | null }): string {
  return user.name?.trim() || `user-${user.id.slice(0, 8)}`;
}

export const ZMyStats = z.object({
  /** Level and XP come from the all-time score (website `useUserScore`). */
  level: z.number().int(),
  totalScore: z.number().int(),
  /** Points still missing to the next level; null at the top level. */
  pointsToNextLevel: z.number().int().nullable(),
  /** Score at which the current level started and the next one starts (for the XP bar). */
  levelStartsAt: z.number().int(),
  nextLevelAt: z.number().int().nullable(),
  streakDays: z.number().int().nullable(),
  timeFrames: z.array(
    ZContributionCounters.extend({ timeFrame: ZTimeFrame, rank: z.number().int().nullable(), lastUpdated: z.date() }),
  ),
});
export type MyStats = z.infer<typeof ZMyStats>;

export const ZTrollboardEntry = z.object({
  rank: z.number().int(),
  userId: z.uuid(),
  displayName: z.string(),
  role: z.string(),
  enabled: z.boolean(),
  trollScore: z.number().int(),
  redFlags: z.number().int(),
  upvotes: z.number().int(),
  downvotes: z.number().int(),
  spamPrompts: z.number().int(),
  spam: z.number().int(),
  langMismatch: z.number().int(),
  notAppropriate: z.number().int(),
  pii: z.number().int(),
  hateSpeech: z.number().int(),
  sexualContent: z.number().int(),
  politicalContent: z.number().int(),
  quality: z.number().nullable(),
  humor: z.number().nullable(),
  toxicity: z.number().nullable(),
  violence: z.number().nullable(),
  helpfulness: z.number().nullable(),
});
export type TrollboardEntry = z.infer<typeof ZTrollboardEntry>;
export type TrollStatsRow = typeof trollStats.$inferSelect;

export const ZTrollboard = z.object({
  timeFrame: ZTimeFrame,
  lastUpdated: z.date().nullable(),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  entries: z.array(ZTrollboardEntry),
});
export type Trollboard = z.infer<typeof ZTrollboard>;
