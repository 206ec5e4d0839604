import { z } from "zod";
import type { ZContributionCounters, LeaderboardEntry, TrollboardEntry } from "@/server/domain/leaderboard/dto";
import { levelForScore } from "@/server/domain/leaderboard/score";
import { timeFrameStart, type TimeFrame } from "@/server/domain/leaderboard/time-frames";
import type { UserRow } from "@/server/domain/users/dto";

/** The original's UserScore and TrollScore JSON (OA `protocol.UserScore`, `TrollScore`). */

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

export const ZUserScoreJson = z
  .object({
    rank: z.number().int().nullable(),
    user_id: z.uuid(),
    highlighted: z.boolean(),
    username: z.string(),
    auth_method: z.string(),
    display_name: z.string(),
    leader_score: z.number().int(),
    level: z.number().int().meta({ description: "0–100, from this time frame's score." }),
    base_date: z.string().nullable(),
    modified_date: z.string().nullable(),
    prompts: z.number().int(),
    replies_assistant: z.number().int(),
    replies_prompter: z.number().int(),
    labels_simple: z.number().int(),
    labels_full: z.number().int(),
    rankings_total: z.number().int(),
    rankings_good: z.number().int(),
    accepted_prompts: z.number().int(),
    accepted_replies_assistant: z.number().int(),
    accepted_replies_prompter: z.number().int(),
    reply_ranked_1: z.number().int(),
    reply_ranked_2: z.number().int(),
    reply_ranked_3: z.number().int(),
    streak_last_day_date: z.string().nullable(),
    streak_days: z.number().int().nullable(),
    last_activity_date: z.string().nullable(),
  })
  .meta({ id: "UserScore" });
export type UserScoreJson = z.infer<typeof ZUserScoreJson>;

type Counters = z.infer<typeof ZContributionCounters>;
export const NO_COUNTERS: Counters = {
  leaderScore: 0, prompts: 0, acceptedPrompts: 0, repliesAssistant: 0, acceptedRepliesAssistant: 0, repliesPrompter: 0,
  acceptedRepliesPrompter: 0, labelsSimple: 0, labelsFull: 0, rankingsTotal: 0, rankingsGood: 0, replyRanked1: 0, replyRanked2: 0, replyRanked3: 0,
};

/** The user's public identity on a board: their client's id of them, else their user id (web users). */
function identity(userId: string, user: UserRow | undefined, displayName: string) {
  return { user_id: userId, username: user?.username ?? userId, auth_method: user?.authMethod ?? "web", display_name: user?.deleted ? "Deleted User" : displayName };
}

export function toUserScoreJson(
  counters: Counters,
  row: { rank: number | null; userId: string; displayName: string; user: UserRow | undefined; highlighted: boolean; timeFrame: TimeFrame; modifiedDate: Date | null },
): UserScoreJson {
  const c = counters;
  return {
    rank: row.rank,
    ...identity(row.userId, row.user, row.displayName),
    highlighted: row.highlighted,
    leader_score: c.leaderScore,
    level: levelForScore(c.leaderScore),
    base_date: iso(timeFrameStart(row.timeFrame, row.modifiedDate ?? new Date())),
    modified_date: iso(row.modifiedDate),
    prompts: c.prompts,
    replies_assistant: c.repliesAssistant,
    replies_prompter: c.repliesPrompter,
    labels_simple: c.labelsSimple,
    labels_full: c.labelsFull,
    rankings_total: c.rankingsTotal,
    rankings_good: c.rankingsGood,
    accepted_prompts: c.acceptedPrompts,
    accepted_replies_assistant: c.acceptedRepliesAssistant,
    accepted_replies_prompter: c.acceptedRepliesPrompter,
    reply_ranked_1: c.replyRanked1,
    reply_ranked_2: c.replyRanked2,
    reply_ranked_3: c.replyRanked3,
    streak_last_day_date: iso(row.user?.streakLastDayDate),
    streak_days: row.user?.streakDays ?? null,
    last_activity_date: iso(row.user?.lastActivityDate),
  };
}

export const boardRow = (entry: LeaderboardEntry, users: Map<string, UserRow>, timeFrame: TimeFrame, modifiedDate: Date | null, highlightedId: string | null) =>
  toUserScoreJson(entry, { rank: entry.rank, userId: entry.userId, displayName: entry.displayName, user: users.get(entry.userId), highlighted: entry.userId === highlightedId, timeFrame, modifiedDate });

export const ZLeaderboardJson = z
  .object({ time_frame: z.string(), last_updated: z.string().nullable(), leaderboard: z.array(ZUserScoreJson) })
  .meta({ id: "LeaderboardStats" });

export const ZTrollScoreJson = z
  .object({
    rank: z.number().int().nullable(), user_id: z.uuid(), highlighted: z.boolean(), username: z.string(), auth_method: z.string(), display_name: z.string(),
    last_activity_date: z.string().nullable(), enabled: z.boolean(), deleted: z.boolean(), show_on_leaderboard: z.boolean(), troll_score: z.number().int(),
    base_date: z.string().nullable(), modified_date: z.string().nullable(), red_flags: z.number().int(), upvotes: z.number().int(), downvotes: z.number().int(),
    spam_prompts: z.number().int(), quality: z.number().nullable(), humor: z.number().nullable(), toxicity: z.number().nullable(), violence: z.number().nullable(),
    helpfulness: z.number().nullable(), spam: z.number().int(),
    lang_mismach: z.number().int().meta({ description: "Sic: the original's field name." }),
    not_appropriate: z.number().int(), pii: z.number().int(), hate_speech: z.number().int(), sexual_content: z.number().int(), political_content: z.number().int(),
  })
  .meta({ id: "TrollScore" });

export function toTrollScoreJson(e: TrollboardEntry, user: UserRow | undefined, timeFrame: TimeFrame, modifiedDate: Date | null): z.infer<typeof ZTrollScoreJson> {
  return {
    rank: e.rank, ...identity(e.userId, user, e.displayName), highlighted: false, last_activity_date: iso(user?.lastActivityDate), enabled: e.enabled,
    deleted: user?.deleted ?? false, show_on_leaderboard: user?.showOnLeaderboard ?? true, troll_score: e.trollScore,
    base_date: iso(timeFrameStart(timeFrame, modifiedDate ?? new Date())), modified_date: iso(modifiedDate), red_flags: e.redFlags, upvotes: e.upvotes,
    downvotes: e.downvotes, spam_prompts: e.spamPrompts, quality: e.quality, humor: e.humor, toxicity: e.toxicity, violence: e.violence,
    helpfulness: e.helpfulness, spam: e.spam, lang_mismach: e.langMismatch, not_appropriate: e.notAppropriate, pii: e.pii, hate_speech: e.hateSpeech,
    sexual_content: e.sexualContent, political_content: e.politicalContent,
  };
}
