import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { textLabels, type LabelValues } from "@/server/db/schema";
import {
  FREE_LABELING_LABELS, LABEL_DEFINITIONS, LABEL_WIDGETS, LABELS_ASSISTANT_REPLY, LABELS_INITIAL_PROMPT,
  LABELS_PROMPTER_REPLY, type LabelName, REPORT_LABELS,
} from "@/server/domain/labels/definitions";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { AppError } from "@/server/errors";
import { canOpen, type Viewer } from "./dto";
import { raiseRedFlag } from "./emojis";
import { findMessage, lockMessageOrThrow, messageNotFound } from "./queries";

export const REPORT_TEXT_LIMIT = 2000;

export const ZFreeLabel = z.object({
  id: z.uuid(),
  messageId: z.uuid(),
  labels: z.record(z.string(), z.number()),
  text: z.string(),
  createdDate: z.date(),
});
export type FreeLabelView = z.infer<typeof ZFreeLabel>;

export type FreeLabelInput = { messageId: string; labels: LabelValues; text?: string; isReport: boolean };

function assertLabelNames(labels: LabelValues, isReport: boolean): void {
  const allowed: readonly string[] = isReport ? REPORT_LABELS : FREE_LABELING_LABELS;
  const unknown = Object.keys(labels).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw new AppError("TEXT_LABELS_INVALID_LABEL", `Not a valid ${isReport ? "report" : "label"}: ${unknown.join(", ")}.`, {
      invalid: unknown,
      allowed,
    });
  }
}

/**
 * Labels a message outside any task, or reports it (spec §2.4 free path). One free-label row per user and message
 * is kept and updated in place: new values are merged over the earlier ones, and a non-empty text replaces the old
 * one. A report also raises the user's red flag, queues the message for moderators and runs auto-moderation. The
 * message row lock serialises concurrent submissions of the same user, so they never create a second row.
 */
export async function submitFreeLabels(db: DbOrTx, viewer: Viewer, input: FreeLabelInput, deps: TreeDeps): Promise<FreeLabelView> {
  assertLabelNames(input.labels, input.isReport);
  const text = (input.text ?? "").trim();
  if (text.length > REPORT_TEXT_LIMIT) {
    throw new AppError("INVALID_INPUT", `The text is ${text.length} characters long; the limit is ${REPORT_TEXT_LIMIT}.`);
  }
  if (Object.keys(input.labels).length === 0 && !(input.isReport && text)) {
    throw new AppError("INVALID_INPUT", input.isReport ? "Give a reason or at least one label for the report." : "Give at least one label.");
  }
  return db.transaction(async (tx) => {
    const message = await lockMessageOrThrow(tx, input.messageId);
    if (message.deleted) throw messageNotFound(input.messageId);
    const mine = and(eq(textLabels.userId, viewer.userId), eq(textLabels.messageId, message.id), isNull(textLabels.taskId));
    const [existing] = await tx.select({ id: textLabels.id }).from(textLabels).where(mine).limit(1);
    const [row] = existing
      ? await tx
          .update(textLabels)
          .set({
            labels: sql`${textLabels.labels} || ${JSON.stringify(input.labels)}::jsonb`,
            ...(text && { text }),
          })
          .where(eq(textLabels.id, existing.id))
          .returning()
      : await tx.insert(textLabels).values({ userId: viewer.userId, messageId: message.id, labels: input.labels, text }).returning();
    if (input.isReport) await raiseRedFlag(tx, message.id, viewer.userId, deps);
    return { id: row!.id, messageId: message.id, labels: row!.labels, text: row!.text, createdDate: row!.createdDate };
  });
}

const ZLabelOption = z.object({
  name: z.string(),
  widget: z.enum(LABEL_WIDGETS),
  displayKey: z.string(),
  helpKey: z.string(),
  inverted: z.boolean(),
});
export const ZLabelOptions = z.object({
  labels: z.array(ZLabelOption),
  reportLabels: z.array(ZLabelOption),
  /** The viewer's earlier free labels on this message, to prefill the form. */
  current: z.record(z.string(), z.number()),
});
export type LabelOptions = z.infer<typeof ZLabelOptions>;

const toOption = (name: LabelName) => ({ ...LABEL_DEFINITIONS[name], inverted: LABEL_DEFINITIONS[name].inverted ?? false });

/**
 * The labels offered for a message (OA `GET /text_labels/valid_labels?message_id`): the review list of its kind —
 * prompt, assistant or prompter reply — without the labels that only make sense inside a task; plus the report list.
 */
export async function getLabelOptions(db: DbOrTx, viewer: Viewer, messageId: string): Promise<LabelOptions> {
  const found = await findMessage(db, messageId);
  if (!found || !canOpen(found.message, viewer)) throw messageNotFound(messageId);
  const { message } = found;
  const byKind = message.parentId === null ? LABELS_INITIAL_PROMPT : message.role === "assistant" ? LABELS_ASSISTANT_REPLY : LABELS_PROMPTER_REPLY;
  const [current] = await db
    .select({ labels: textLabels.labels })
    .from(textLabels)
    .where(and(eq(textLabels.userId, viewer.userId), eq(textLabels.messageId, messageId), isNull(textLabels.taskId)))
    .limit(1);
  return {
    labels: byKind.filter((name) => FREE_LABELING_LABELS.includes(name)).map(toOption),
    reportLabels: REPORT_LABELS.map(toOption),
    current: current?.labels ?? {},
  };
}
