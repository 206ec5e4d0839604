import { index, integer, jsonb, pgTable, primaryKey, real, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt } from "./columns";
import { messages } from "./messages";

/**
 * Results of the quality job (src/server/domain/quality/compute-quality.ts, issue 14). Each run replaces every row
 * in one transaction, so readers always see one complete run; `computedAt` says which.
 */

/** Krippendorff's α of one label, over all reviews (`scope` "all", `key` ""), by language or by month (YYYY-MM). */
export const qualityLabelAgreement = pgTable(
  "quality_label_agreement",
  {
    label: varchar({ length: 64 }).notNull(),
    scope: varchar({ length: 8 }).$type<"all" | "lang" | "month">().notNull(),
    key: varchar({ length: 32 }).notNull(),
    metric: varchar({ length: 8 }).$type<"nominal" | "interval">().notNull(),
    /** null when undefined (no pairable values, or no variation at all). */
    alpha: real(),
    /** Messages with at least two reviews of this label. */
    units: integer().notNull(),
    /** Review values in those messages. */
    values: integer().notNull(),
    computedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.label, t.scope, t.key] })],
);

/** Per-reply strength with its 95 % bootstrap interval (natural log scale, centred per group). */
export type ReplyStrengths = Record<string, { strength: number; lower: number; upper: number }>;

/** One ranked sibling group (the replies of `parentId`): agreement between its rankers and a second consensus. */
export const qualitySiblingGroups = pgTable(
  "quality_sibling_groups",
  {
    parentId: uuid()
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    messageTreeId: uuid().notNull(),
    lang: varchar({ length: 32 }).notNull(),
    rankings: integer().notNull(),
    /** Kendall's W between the rankings (null with fewer than two rankings of two common replies). */
    kendallW: real(),
    /** Weakest adjacent step of the consensus order, in [−1, 1] (agreement.ts `consensusMargin`). */
    consensusMargin: real(),
    /** Bradley–Terry strengths on the pairs the rankings imply, by reply id. */
    strengths: jsonb().$type<ReplyStrengths>().notNull(),
    computedAt: createdAt(),
  },
  (t) => [index("quality_sibling_groups_tree_idx").on(t.messageTreeId), index("quality_sibling_groups_w_idx").on(t.kendallW)],
);

/** How often a reviewer agrees with the others, with the Wilson lower bound of the combined rate as their score. */
export const qualityReviewers = pgTable(
  "quality_reviewers",
  {
    userId: uuid()
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Nominal label values equal to the strict majority of the other reviewers of the same message. */
    labelAgreements: integer().notNull(),
    labelTrials: integer().notNull(),
    /** Rankings whose best reply is the best reply of the other rankers' consensus. */
    rankingAgreements: integer().notNull(),
    rankingTrials: integer().notNull(),
    /** Gold items' expected labels answered as expected (gold.ts). */
    goldCorrect: integer().notNull().default(0),
    goldTrials: integer().notNull().default(0),
    /** Wilson lower bound (95 %) of all agreements over all trials. */
    score: real().notNull(),
    computedAt: createdAt(),
  },
  (t) => [index("quality_reviewers_score_idx").on(t.score)],
);

/** A message moderators marked as a gold item: the answers they expect for some labels (issue 14). */
export const qualityGoldItems = pgTable("quality_gold_items", {
  messageId: uuid()
    .primaryKey()
    .references(() => messages.id, { onDelete: "cascade" }),
  /** Expected label values in [0, 1], by label name. */
  expected: jsonb().$type<Record<string, number>>().notNull(),
  markedBy: uuid().references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

/** A reviewer's answer to a gold item, scored when given; it never becomes a review of the message. */
export const qualityGoldAnswers = pgTable(
  "quality_gold_answers",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    messageId: uuid()
      .notNull()
      .references(() => qualityGoldItems.messageId, { onDelete: "cascade" }),
    labels: jsonb().$type<Record<string, number>>().notNull(),
    /** Expected labels answered as expected, of those the reviewer answered. */
    correct: integer().notNull(),
    total: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.messageId] })],
);
