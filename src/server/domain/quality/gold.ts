import { and, eq, inArray, isNull, notExists, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { messages, qualityGoldAnswers, qualityGoldItems, tasks, textLabels, type TaskType } from "@/server/db/schema";
import { LABEL_DEFINITIONS, LABEL_NAMES, type LabelName } from "@/server/domain/labels/definitions";
import { markModeratorAction, recordModerationEvent } from "@/server/domain/moderation/journal";
import type { TreeManagerSettings } from "@/server/domain/trees/config";
import { type BuildContext, labelPayload } from "@/server/domain/tasks/build-task";
import type { LabelTaskType } from "@/server/domain/tasks/types";
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

export const ZGoldItemInput = z.object({
  messageId: z.uuid(),
  /** Expected values in [0, 1] by label name; at least one. */
  expected: z.partialRecord(z.enum(LABEL_NAMES), z.number().min(0).max(1)),
});
export const ZGoldItem = z.object({ messageId: z.uuid(), expected: z.record(z.string(), z.number()), answers: z.number().int(), correct: z.number().int(), total: z.number().int() });
export type GoldItem = z.infer<typeof ZGoldItem>;

/** The gold item of a message with how reviewers did on it so far; null when the message is not one. */
export async function getGoldItem(db: DbOrTx, messageId: string): Promise<GoldItem | null> {
  const [row] = await db
    .select({
      messageId: qualityGoldItems.messageId, expected: qualityGoldItems.expected,
      answers: sql<number>`(select count(*)::int from ${qualityGoldAnswers} a where a.message_id = ${qualityGoldItems.messageId})`,
      correct: sql<number>`(select coalesce(sum(a.correct), 0)::int from ${qualityGoldAnswers} a where a.message_id = ${qualityGoldItems.messageId})`,
      total: sql<number>`(select coalesce(sum(a.total), 0)::int from ${qualityGoldAnswers} a where a.message_id = ${qualityGoldItems.messageId})`,
    })
    .from(qualityGoldItems)
    .where(eq(qualityGoldItems.messageId, messageId));
  return row ? { ...row, answers: Number(row.answers), correct: Number(row.correct), total: Number(row.total) } : null;
}

/** Marks (or re-marks) a message as a gold item, as a moderator's journalled action. */
export async function setGoldItem(db: DbOrTx, moderatorId: string, input: z.infer<typeof ZGoldItemInput>): Promise<GoldItem> {
  const expected = Object.fromEntries(Object.entries(input.expected).filter(([, value]) => value !== undefined)) as Record<string, number>;
  const item = await db.transaction(async (tx) => {
    await markModeratorAction(tx);
    await markGoldItem(tx, { messageId: input.messageId, expected, moderatorId });
    await recordModerationEvent(tx, moderatorId, "moderation_mark_gold", { messageId: input.messageId, payload: { expected } });
    return (await getGoldItem(tx, input.messageId))!;
  });
  goldGeneration++; // again after the commit: a request in between may have remembered "none"
  return item;
}

/** Takes the gold mark off a message (its answers go with it); a message that is not gold is refused. */
export async function removeGoldItem(db: DbOrTx, moderatorId: string, messageId: string): Promise<void> {
  await db.transaction(async (tx) => {
    goldGeneration++;
    const removed = await tx.delete(qualityGoldItems).where(eq(qualityGoldItems.messageId, messageId)).returning();
    if (removed.length === 0) throw new AppError("NOT_FOUND", `Message ${messageId} is not a gold item.`);
    await recordModerationEvent(tx, moderatorId, "moderation_unmark_gold", { messageId });
  });
}

/**
 * Whether a database has any gold item, remembered per database handle for `GOLD_PRESENCE_TTL_MS` so the hand-out's
 * usual path (no gold items) costs no statement: a campaign's request is one statement (issue 15). Marking or
 * unmarking in this process forgets at once; another process sees a new gold item within the TTL.
 */
export const GOLD_PRESENCE_TTL_MS = 30_000;
const goldPresence = new WeakMap<object, { exists: boolean; at: number; generation: number }>();
let goldGeneration = 0;

export async function goldItemsMayExist(db: DbOrTx, now = Date.now()): Promise<boolean> {
  const known = goldPresence.get(db);
  if (known && known.generation === goldGeneration && now - known.at < GOLD_PRESENCE_TTL_MS) return known.exists;
  const generation = goldGeneration;
  const [row] = await db.execute<{ exists: boolean }>(sql`select exists (select 1 from quality_gold_items) as exists`);
  goldPresence.set(db, { exists: row?.exists === true, at: now, generation });
  return row?.exists === true;
}

export async function markGoldItem(db: DbOrTx, input: { messageId: string; expected: Record<string, number>; moderatorId: string }) {
  goldGeneration++;
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

/** The review task type a gold message is handed out as: the type its ordinary review has. */
export function goldTaskTypeOf(message: { parentId: string | null; role: string }): TaskType {
  return message.parentId === null ? "label_initial_prompt" : message.role === "assistant" ? "label_assistant_reply" : "label_prompter_reply";
}

/**
 * A gold item in `lang` of one of `types` that the user has not answered, not reviewed and did not write, at random;
 * null when there is none.
 */
export async function pickGoldItem(
  db: DbOrTx, input: { userId: string; lang: string; types?: readonly TaskType[] },
): Promise<{ messageId: string; treeId: string; type: TaskType } | null> {
  const types = input.types ?? ["label_initial_prompt", "label_prompter_reply", "label_assistant_reply"];
  const roles = types.flatMap((type) => (type === "label_assistant_reply" ? ["assistant"] : type === "label_prompter_reply" ? ["prompter"] : []));
  const byKind = or(
    types.includes("label_initial_prompt") ? isNull(messages.parentId) : sql`false`,
    roles.length > 0 ? and(sql`${messages.parentId} is not null`, inArray(messages.role, roles as ("assistant" | "prompter")[])) : sql`false`,
  );
  const [row] = await db
    .select({ messageId: qualityGoldItems.messageId, treeId: messages.messageTreeId, parentId: messages.parentId, role: messages.role })
    .from(qualityGoldItems)
    .innerJoin(messages, eq(messages.id, qualityGoldItems.messageId))
    .where(
      and(
        eq(messages.lang, input.lang),
        eq(messages.deleted, false),
        or(isNull(messages.userId), sql`${messages.userId} <> ${input.userId}`),
        byKind,
        // Not again after a gold task of theirs on it (open, skipped or expired).
        notExists(db.select({ one: sql`1` }).from(tasks).where(and(eq(tasks.parentMessageId, qualityGoldItems.messageId), eq(tasks.userId, input.userId), eq(tasks.gold, true)))),
        notExists(db.select({ one: sql`1` }).from(textLabels).where(and(eq(textLabels.messageId, qualityGoldItems.messageId), eq(textLabels.userId, input.userId)))),
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
  return row ? { messageId: row.messageId, treeId: row.treeId, type: goldTaskTypeOf(row) } : null;
}

/**
 * The hand-out's hook (request-task.ts): now and then (`pGoldReview`) a review request of `types` is given a gold
 * item instead, as an ordinary review task of the same type and payload. Asks the random source only when a gold
 * item is there for this user, so with no gold items the hand-out draws exactly as before.
 */
export async function pickGoldReview(
  db: DbOrTx, input: { userId: string; lang: string; types: readonly TaskType[]; settings: TreeManagerSettings; random: () => number },
) {
  if (input.settings.pGoldReview <= 0 || !input.types.some((type) => type.startsWith("label_"))) return null;
  const item = await pickGoldItem(db, input);
  return item && input.random() < input.settings.pGoldReview ? item : null;
}

/** Gold accuracy per reviewer, for the quality job. */
export async function goldTallies(db: DbOrTx): Promise<Map<string, { correct: number; total: number }>> {
  const rows = await db
    .select({ userId: qualityGoldAnswers.userId, correct: sql<number>`sum(${qualityGoldAnswers.correct})::int`, total: sql<number>`sum(${qualityGoldAnswers.total})::int` })
    .from(qualityGoldAnswers)
    .groupBy(qualityGoldAnswers.userId);
  return new Map(rows.map((row) => [row.userId, { correct: Number(row.correct), total: Number(row.total) }]));
}

/**
 * A gold review task for the hand-out, built like an ordinary full review of the message (build-task.ts), or null
 * (no gold item this time). `gold` marks the stored task so its answer is scored instead of counted (submit-labels).
 */
export async function goldReviewTask(ctx: BuildContext, types: readonly TaskType[]) {
  const item = await pickGoldReview(ctx.tx, { userId: ctx.userId, lang: ctx.lang, types, settings: ctx.settings, random: ctx.random });
  if (!item) return null;
  const payload = await labelPayload(ctx, item.type as LabelTaskType, item.messageId, "full");
  return { payload, parentMessageId: item.messageId, messageTreeId: item.treeId, gold: true as const };
}
