import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { moderationQueueItems, qualityLabelAgreement, qualityReviewers, qualitySiblingGroups, users } from "@/server/db/schema";

/** What the moderators' quality page shows, read from the quality job's stored results (compute-quality.ts). */
const ZAlphaRow = z.object({
  label: z.string(),
  key: z.string(),
  metric: z.enum(["nominal", "interval"]),
  alpha: z.number().nullable(),
  units: z.number().int(),
});

export const ZQualitySummary = z.object({
  /** When the shown results were computed; null before the first run of the job. */
  computedAt: z.date().nullable(),
  labels: z.array(ZAlphaRow),
  byLanguage: z.array(ZAlphaRow),
  byMonth: z.array(ZAlphaRow),
  lowestGroups: z.array(
    z.object({
      parentId: z.uuid(),
      lang: z.string(),
      rankings: z.number().int(),
      kendallW: z.number().nullable(),
      consensusMargin: z.number().nullable(),
      /** Its `split_reviews` item in the moderation queue (split-reviews.ts), null when it was not queued. */
      queueItem: z.object({ id: z.uuid(), open: z.boolean() }).nullable(),
    }),
  ),
  reviewers: z.object({
    scored: z.number().int(),
    /** Agreements and trials include the gold answers; `gold*` repeat those on their own. */
    lowest: z.array(z.object({
      userId: z.uuid(), name: z.string().nullable(), score: z.number(), agreements: z.number().int(), trials: z.number().int(),
      goldCorrect: z.number().int(), goldTrials: z.number().int(),
    })),
  }),
});
export type QualitySummary = z.infer<typeof ZQualitySummary>;

export const ZQualitySummaryInput = z.object({ lowest: z.number().int().min(1).max(100).default(20) });

export async function loadQualitySummary(db: DbOrTx, input: { lowest?: number } = {}): Promise<QualitySummary> {
  const lowest = input.lowest ?? 20;
  const alphaRows = await db
    .select({
      label: qualityLabelAgreement.label, scope: qualityLabelAgreement.scope, key: qualityLabelAgreement.key,
      metric: qualityLabelAgreement.metric, alpha: qualityLabelAgreement.alpha, units: qualityLabelAgreement.units,
      computedAt: qualityLabelAgreement.computedAt,
    })
    .from(qualityLabelAgreement)
    .orderBy(asc(qualityLabelAgreement.label), asc(qualityLabelAgreement.key));
  const row = ({ label, key, metric, alpha, units }: (typeof alphaRows)[number]) => ({ label, key, metric, alpha, units });
  // The lowest agreement first: W where two rankings exist, else the margin; groups with neither say nothing.
  const groups = await db
    .select({
      parentId: qualitySiblingGroups.parentId, lang: qualitySiblingGroups.lang, rankings: qualitySiblingGroups.rankings,
      kendallW: qualitySiblingGroups.kendallW, consensusMargin: qualitySiblingGroups.consensusMargin,
      queueItemId: moderationQueueItems.id, queueResolvedAt: moderationQueueItems.resolvedAt,
    })
    .from(qualitySiblingGroups)
    .leftJoin(moderationQueueItems, and(eq(moderationQueueItems.kind, "split_reviews"), eq(moderationQueueItems.messageId, qualitySiblingGroups.parentId)))
    .where(isNotNull(qualitySiblingGroups.kendallW))
    .orderBy(asc(qualitySiblingGroups.kendallW), asc(qualitySiblingGroups.parentId))
    .limit(lowest);
  const [counted] = await db.select({ n: sql<number>`count(*)::int` }).from(qualityReviewers);
  const reviewers = await db
    .select({
      userId: qualityReviewers.userId, name: users.name, score: qualityReviewers.score,
      agreements: sql<number>`${qualityReviewers.labelAgreements} + ${qualityReviewers.rankingAgreements} + ${qualityReviewers.goldCorrect}`,
      trials: sql<number>`${qualityReviewers.labelTrials} + ${qualityReviewers.rankingTrials} + ${qualityReviewers.goldTrials}`,
      goldCorrect: qualityReviewers.goldCorrect, goldTrials: qualityReviewers.goldTrials,
    })
    .from(qualityReviewers)
    .innerJoin(users, eq(users.id, qualityReviewers.userId))
    .orderBy(asc(qualityReviewers.score), asc(qualityReviewers.userId))
    .limit(lowest);
  return {
    computedAt: alphaRows[0]?.computedAt ?? null,
    labels: alphaRows.filter((r) => r.scope === "all").map(row),
    byLanguage: alphaRows.filter((r) => r.scope === "lang").map(row),
    byMonth: alphaRows.filter((r) => r.scope === "month").map(row),
    lowestGroups: groups.map(({ queueItemId, queueResolvedAt, ...group }) => ({
      ...group, queueItem: queueItemId ? { id: queueItemId, open: queueResolvedAt === null } : null,
    })),
    reviewers: {
      scored: counted?.n ?? 0,
      lowest: reviewers.map((r) => ({ ...r, agreements: Number(r.agreements), trials: Number(r.trials) })),
    },
  };
}
