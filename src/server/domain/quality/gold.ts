import { and, eq, isNull, notExists, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages, qualityGoldAnswers, qualityGoldItems } from "@/server/db/schema";
import { LABEL_DEFINITIONS, type LabelName } from "@/server/domain/labels/definitions";
import { AppError } from "@/server/errors";

/**
 * Gold items (issue 14): moderators mark a message with the answers they expect for some labels; the task hand-out
 * gives it to reviewers now and then like any review task (`pickGoldItem`), and the submit path hands the answer
 * to `recordGoldAnswer` instead of writing a review, so a gold answer never changes the tree. Accuracy on gold
 * feeds the reviewer's score on the quality page (compute-quality.ts).
 */

/** A yes/no or flag answer is right on the same side of 0.5; a Likert answer within one step (0.25). */
export function scoreGoldAnswer(expected: Record<string, number>, given: Record<string, number>): { correct: number; total: number } {
  let correct = 0;
  let total = 0;
  for (const [label, want] of Object.entries(expected)) {
    const got = given[label];
    if (typeof got !== "number") continue;
    total++;
    const likert = LABEL_DEFINITIONS[label as LabelName]?.widget === "likert";
    if (likert ? Math.abs(got - want) <= 0.25 + 1e-9 : got >= 0.5 === want >= 0.5) correct++;
  }
  return { correct, total };
}

export async function markGoldItem(db: DbOrTx, input: { messageId: string; expected: Record<string, number>; moderatorId: string }) {
  const entries = Object.entries(input.expected);
  if (entries.length === 0) throw new AppError("INVALID_INPUT", "A gold item needs at least one expected label.");
  for (const [label, value] of entries) {
    if (!(label in LABEL_DEFINITIONS)) throw new AppError("INVALID_INPUT", `Unknown label "${label}".`);
    if (!(value >= 0 && value <= 1)) throw new AppError("INVALID_INPUT", `The expected value of ${label} must be between 0 and 1.`);
  }
  const [message] = await db.select({ id: messages.id, deleted: messages.deleted }).from(messages).where(eq(messages.id, input.messageId));
  if (!message || message.deleted) throw new AppError("MESSAGE_NOT_FOUND", `Message ${input.messageId} does not exist.`);
  await db
    .insert(qualityGoldItems)
    .values({ messageId: input.messageId, expected: input.expected, markedBy: input.moderatorId })
    .onConflictDoUpdate({ target: qualityGoldItems.messageId, set: { expected: input.expected, markedBy: input.moderatorId } });
}

/**
 * Scores a reviewer's labels for a gold message; null when the message is not a gold item (the caller then stores
 * a normal review). One answer per reviewer and item: a second submission keeps the first.
 */
export async function recordGoldAnswer(db: DbOrTx, input: { userId: string; messageId: string; labels: Record<string, number> }) {
  const [item] = await db.select().from(qualityGoldItems).where(eq(qualityGoldItems.messageId, input.messageId));
  if (!item) return null;
  const score = scoreGoldAnswer(item.expected, input.labels);
  await db
    .insert(qualityGoldAnswers)
    .values({ userId: input.userId, messageId: input.messageId, labels: input.labels, ...score })
    .onConflictDoNothing();
  return score;
}

/** A gold item in `lang` the user has not answered and did not write, at random; null when there is none. */
export async function pickGoldItem(db: DbOrTx, input: { userId: string; lang: string }): Promise<string | null> {
  const [row] = await db
    .select({ messageId: qualityGoldItems.messageId })
    .from(qualityGoldItems)
    .innerJoin(messages, eq(messages.id, qualityGoldItems.messageId))
    .where(
      and(
        eq(messages.lang, input.lang),
        eq(messages.deleted, false),
        or(isNull(messages.userId), sql`${messages.userId} <> ${input.userId}`),
        notExists(
          db
            .select({ one: sql`1` })
            .from(qualityGoldAnswers)
            .where(and(eq(qualityGoldAnswers.messageId, qualityGoldItems.messageId), eq(qualityGoldAnswers.userId, input.userId))),
        ),
      ),
    )
    .orderBy(sql`random()`)
    .limit(1);
  return row?.messageId ?? null;
}

/** Gold accuracy per reviewer, for the quality job. */
export async function goldTallies(db: DbOrTx): Promise<Map<string, { correct: number; total: number }>> {
  const rows = await db
    .select({ userId: qualityGoldAnswers.userId, correct: sql<number>`sum(${qualityGoldAnswers.correct})::int`, total: sql<number>`sum(${qualityGoldAnswers.total})::int` })
    .from(qualityGoldAnswers)
    .groupBy(qualityGoldAnswers.userId);
  return new Map(rows.map((row) => [row.userId, { correct: Number(row.correct), total: Number(row.total) }]));
}
