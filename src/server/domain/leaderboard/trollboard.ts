import { and, asc, desc, eq, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { trollStats, users } from "@/server/db/schema";
import { publicDisplayName, type Trollboard } from "./dto";
import { flushDirtyUsers } from "./flush-dirty-users";
import type { TimeFrame } from "./time-frames";

export type TrollboardQuery = {
  timeFrame: TimeFrame;
  /** true: users who can still contribute; false: disabled or banned ones (the website's radio buttons). */
  enabled: boolean;
  page: number;
  pageSize: number;
};

/**
 * The moderators' trollboard (spec §4.4, website admin Trollboard): highest troll score first, ranked when read
 * among the users shown, after folding in pending changes (`flushDirtyUsers`).
 */
export async function getTrollboard(db: DbOrTx, query: TrollboardQuery): Promise<Trollboard> {
  const asOf = new Date();
  await flushDirtyUsers(db, asOf);
  const offset = (query.page - 1) * query.pageSize;
  const active = and(eq(users.enabled, true), ne(users.role, "banned"));
  const where = and(eq(trollStats.timeFrame, query.timeFrame), query.enabled ? active : or(eq(users.enabled, false), eq(users.role, "banned")));
  const [rows, [counts]] = await Promise.all([
    db
      .select({ stats: trollStats, name: users.name, role: users.role, enabled: users.enabled })
      .from(trollStats)
      .innerJoin(users, eq(users.id, trollStats.userId))
      .where(where)
      .orderBy(desc(trollStats.trollScore), asc(trollStats.userId))
      .limit(query.pageSize)
      .offset(offset),
    db
      .select({ total: sql<number>`count(*) filter (where ${where})::int` })
      .from(trollStats)
      .innerJoin(users, eq(users.id, trollStats.userId))
      .where(eq(trollStats.timeFrame, query.timeFrame)),
  ]);
  return {
    timeFrame: query.timeFrame,
    lastUpdated: asOf,
    page: query.page,
    pageSize: query.pageSize,
    total: counts?.total ?? 0,
    entries: rows.map(({ stats, name, role, enabled }, index) => ({
      rank: offset + index + 1,
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
