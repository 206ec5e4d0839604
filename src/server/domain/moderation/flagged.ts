import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { flaggedMessages, messages } from "@/server/db/schema";
import { publicAuthorName, type Viewer, ZMessage } from "@/server/domain/messages/dto";
import { cursorTimestamp, decodeCursor, encodeCursor, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from "@/server/domain/messages/pages";
import { selectMessagesWithAuthor, toMessageViews, uuidArray } from "@/server/domain/messages/queries";
import { AppError } from "@/server/errors";
import { markModeratorAction, recordModerationEvent } from "./journal";

const ZReport = z.object({ reporterName: z.string().nullable(), text: z.string(), labels: z.record(z.string(), z.number()), createdDate: z.date() });

export const ZFlaggedMessage = z.object({
  message: ZMessage,
  flaggedAt: z.date(),
  processed: z.boolean(),
  /** The latest free labels and reports on the message, newest first. */
  reports: z.array(ZReport),
});
export const ZFlaggedPage = z.object({ items: z.array(ZFlaggedMessage), nextCursor: z.string().nullable() });
export type FlaggedPage = z.infer<typeof ZFlaggedPage>;

const REPORTS_PER_MESSAGE = 10;

export type Report = z.infer<typeof ZReport>;
export { ZReport };

/** The latest free labels and reports of each message, for a whole page in one query. */
export async function loadReports(tx: DbOrTx, messageIds: readonly string[]): Promise<Map<string, Report[]>> {
  const byMessage = new Map<string, Report[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await tx.execute<{
    message_id: string; text: string; labels: Record<string, number>; created_date: Date | string;
    user_id: string | null; name: string | null; deleted: boolean | null;
  }>(sql`
    select * from (
      select l.message_id, l.text, l.labels, l.created_date, u.id as user_id, u.name, u.deleted,
        row_number() over (partition by l.message_id order by l.created_date desc) as n
      from text_labels l left join users u on u.id = l.user_id
      where l.task_id is null and l.message_id = any(${uuidArray(messageIds)})
    ) latest where n <= ${REPORTS_PER_MESSAGE} order by created_date desc`);
  for (const row of rows) {
    const report = {
      reporterName: publicAuthorName(row.user_id, row.name, row.deleted),
      text: row.text,
      labels: row.labels,
      createdDate: new Date(row.created_date),
    };
    byMessage.set(row.message_id, [...(byMessage.get(row.message_id) ?? []), report]);
  }
  return byMessage;
}

/** The moderators' queue: flagged messages, oldest flag first, keyset-paginated (spec §5 `admin/flagged_messages`). */
export async function listFlaggedMessages(
  db: DbOrTx,
  viewer: Viewer,
  options: { cursor?: string; limit?: number; includeProcessed?: boolean },
): Promise<FlaggedPage> {
  const limit = Math.min(Math.max(options.limit ?? PAGE_SIZE_DEFAULT, 1), PAGE_SIZE_MAX);
  const cursor = options.cursor ? decodeCursor(options.cursor) : null;
  const conditions: (SQL | undefined)[] = [
    options.includeProcessed ? undefined : eq(flaggedMessages.processed, false),
    cursor ? sql`(${flaggedMessages.createdDate}, ${flaggedMessages.messageId}) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined,
  ];
  const flags = await db
    .select({ messageId: flaggedMessages.messageId, flaggedAt: flaggedMessages.createdDate, processed: flaggedMessages.processed, at: cursorTimestamp(flaggedMessages.createdDate) })
    .from(flaggedMessages)
    .where(and(...conditions))
    .orderBy(asc(flaggedMessages.createdDate), asc(flaggedMessages.messageId))
    .limit(limit + 1);
  const page = flags.slice(0, limit);
  const rows = page.length === 0 ? [] : await selectMessagesWithAuthor(db, inArray(messages.id, page.map((flag) => flag.messageId)));
  const views = new Map((await toMessageViews(db, viewer, rows)).map((view) => [view.id, view]));
  const reports = await loadReports(db, page.map((flag) => flag.messageId));
  const items = page.flatMap((flag) => {
    const message = views.get(flag.messageId);
    return message ? [{ message, flaggedAt: flag.flaggedAt, processed: flag.processed, reports: reports.get(flag.messageId) ?? [] }] : [];
  });
  const last = page.at(-1);
  return { items, nextCursor: flags.length > limit && last ? encodeCursor({ id: last.messageId, at: last.at }) : null };
}

export async function markFlaggedProcessed(db: DbOrTx, actorId: string, messageId: string): Promise<{ messageId: string; processed: boolean }> {
  return db.transaction(async (tx) => {
    await markModeratorAction(tx);
    const [row] = await tx.update(flaggedMessages).set({ processed: true }).where(eq(flaggedMessages.messageId, messageId)).returning();
    if (!row) throw new AppError("MESSAGE_NOT_FOUND", `Message ${messageId} is not in the flagged queue.`);
    await recordModerationEvent(tx, actorId, "moderation_flag_processed", { messageId });
    return { messageId, processed: row.processed };
  });
}
