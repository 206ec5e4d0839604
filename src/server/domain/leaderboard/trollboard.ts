import { and, asc, eq, max, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { trollStats, users } from "@/server/db/schema";
import { publicDisplayName, type Trollboard } from "./dto";
import type { TimeFrame } from "./time-frames";

export type TrollboardQuery = {
  timeFrame: TimeFrame;
  /** true: users who can still contribute; false: disabled or banned ones (the website's radio buttons). */
  enabled: boolean;
  page: number;
  pageSize: number;
};

/** The moderators' trollboard (spec §4.4, website admin Trollboard): highest troll score first. */
export async function getTrollboard(db: DbOrTx, query: TrollboardQuery): Promise<Trollboard> {
  const active = and(eq(users.enabled, true), ne(users.role, "banned"));
  const where = and(eq(trollStats.timeFrame, query.timeFrame), query.enabled ? active : or(eq(users.enabled, false), eq(users.role, "banned")));
  const [rows, [counts]] = await Promise.all([
    db
      .select({ stats: trollStats, name: users.name, role: users.role, enabled: users.enabled })
      .from(trollStats)
      .innerJoin(users, eq(users.id, trollStats.userId))
      .where(where)
      .orderBy(asc(trollStats.rank))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db
      .select({ total: sql<number>`count(*) filter (where ${where})::int`, lastUpdated: max(trollStats.modifiedDate) })
      .from(trollStats)
      .innerJoin(users, eq(users.id, trollStats.userId))
      .where(eq(trollStats.timeFrame, query.timeFrame)),
  ]);
  return {
    timeFrame: query.timeFrame,
    lastUpdated: counts?.lastUpdated ?? null,
    page: query.page,
    pageSize: query.pageSize,
    total: counts?.total ?? 0,
    entries: rows.map(({ stats, name, role, enabled }) => ({
      rank: stats.rank ?? 0,
      userId: stats.userId,
      displayName: publicDisplayName({ id: stats.userId, name }),
      role,
      enabled,
      trollScore: stats.trollScore,
      redFlags: stats.redFlags,
      upvotes: stats.upvotes,
      downvotes: stats.downvotes,
      spamPrompts: stats.spamPrompts,
      spam: stats.spam,
      langMismatch: stats.langMismatch,
      notAppropriate: stats.notAppropriate,
      pii: stats.pii,
      hateSpeech: stats.hateSpeech,
      sexualContent: stats.sexualContent,
      politicalContent: stats.politicalContent,
      quality: stats.quality,
      humor: stats.humor,
      toxicity: stats.toxicity,
      violence: stats.violence,
      helpfulness: stats.helpfulness,
    })),
  };
}
