import { and, asc, count, eq, exists, gt, gte, inArray, isNull, lt, not, type SQL, sql } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/server/db/client";
import { datasetUndatedMessages, type EmojiCounts, messages, messageTreeStates, type TreeState, users } from "@/server/db/schema";
import { type ResolvedExportFilters } from "./export-filters";

/**
 * Every statement the exporters run to select trees and messages (labels and events are in export-extras.ts).
 * Trees are paged by keyset on message_tree_id, so an export never holds more than one page in memory and
 * concurrent inserts do not shift pages (no OFFSET).
 */

/** Tree output keeps whole (filtered) trees; message output selects single messages across trees. */
export type ExportShape = "trees" | "messages";

export type ExportTreeRow = { messageTreeId: string; state: TreeState; origin: string | null };

export type ExportMessageRow = {
  id: string;
  parentId: string | null;
  messageTreeId: string;
  userId: string | null;
  /**
   * ISO-8601 with microseconds, formatted by PostgreSQL so no precision is lost on the way through JS; null when
   * the message was imported without a date (the stored one was made up, see dataset_undated_messages).
   */
  createdDate: string | null;
  text: string;
  role: "prompter" | "assistant";
  lang: string;
  reviewCount: number;
  reviewResult: boolean | null;
  deleted: boolean;
  rank: number | null;
  synthetic: boolean;
  modelName: string | null;
  emojis: EmojiCounts;
};

type MessageColumns = {
  deleted: AnyPgColumn;
  reviewResult: AnyPgColumn;
  synthetic: AnyPgColumn;
  userId: AnyPgColumn;
  createdDate: AnyPgColumn;
  parentId: AnyPgColumn;
};

export const root = alias(messages, "root");
const candidate = alias(messages, "candidate");
const syntheticMessage = alias(messages, "synthetic_message");

/** Conditions on each exported message; `dates` applies the created-date range to the message itself. */
export function messageConditions(m: MessageColumns, f: ResolvedExportFilters, shape: ExportShape, dates: boolean): SQL[] {
  const conditions: SQL[] = [];
  if (f.deleted === "exclude") conditions.push(eq(m.deleted, false));
  if (f.deleted === "only") conditions.push(eq(m.deleted, true));
  if (f.spam === "exclude") conditions.push(eq(m.reviewResult, true));
  if (f.spam === "only") conditions.push(eq(m.reviewResult, false));
  if (f.promptsOnly) conditions.push(isNull(m.parentId));
  if (f.removedAuthors === "exclude") {
    conditions.push(sql`not exists (select 1 from ${users} where ${users.id} = ${m.userId} and ${users.deleted})`);
  }
  if (shape === "messages") {
    if (f.synthetic === "only") conditions.push(eq(m.synthetic, true));
    if (f.userId) conditions.push(eq(m.userId, f.userId));
  }
  if (dates && f.createdFrom) conditions.push(gte(m.createdDate, f.createdFrom));
  if (dates && f.createdTo) conditions.push(lt(m.createdDate, f.createdTo));
  return conditions;
}

export function treeConditions(db: DbOrTx, f: ResolvedExportFilters, shape: ExportShape): SQL[] {
  const conditions: SQL[] = [];
  if (f.states !== "all") conditions.push(inArray(messageTreeStates.state, [...f.states]));
  if (f.lang) conditions.push(eq(root.lang, f.lang));
  if (f.synthetic !== "include") {
    // The original filters trees, not messages: one synthetic message keeps the whole tree out (export.py).
    const anySynthetic = exists(
      db
        .select({ one: sql`1` })
        .from(syntheticMessage)
        .where(and(eq(syntheticMessage.messageTreeId, messageTreeStates.messageTreeId), eq(syntheticMessage.synthetic, true))),
    );
    conditions.push(f.synthetic === "exclude" ? not(anySynthetic) : anySynthetic);
  }
  if (shape === "trees") {
    // A tree whose prompt is filtered out cannot be built (the original logged "Corrupted tree" and skipped it);
    // filtering the prompt here keeps such trees out of the page and makes `limit` count real lines.
    conditions.push(...messageConditions(root, { ...f, promptsOnly: false }, shape, true));
  } else {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(candidate)
          .where(and(eq(candidate.messageTreeId, messageTreeStates.messageTreeId), ...messageConditions(candidate, f, shape, true))),
      ),
    );
  }
  return conditions;
}

/**
 * One page of trees: the next `pageSize` tree ids after `afterTreeId` (exclusive) in message_tree_id order, read
 * straight from the primary key, then filtered. Filtering a fixed slice keeps every page's cost bounded by the
 * page size; a single "filtered, ordered, limited" query instead made the planner anti-join all trees on every
 * page (seconds per page at a million messages). A page may hold fewer trees than `pageSize`, or none;
 * `lastScanned` is where the next page starts, null after the last one.
 */
export async function fetchTreePage(
  db: DbOrTx,
  f: ResolvedExportFilters,
  shape: ExportShape,
  afterTreeId: string | null,
  pageSize: number,
): Promise<{ trees: ExportTreeRow[]; lastScanned: string | null }> {
  const slice = await db
    .select({ id: messageTreeStates.messageTreeId })
    .from(messageTreeStates)
    .where(afterTreeId ? gt(messageTreeStates.messageTreeId, afterTreeId) : undefined)
    .orderBy(asc(messageTreeStates.messageTreeId))
    .limit(pageSize);
  if (slice.length === 0) return { trees: [], lastScanned: null };
  const ids = slice.map((row) => row.id);
  const trees = await db
    .select({ messageTreeId: messageTreeStates.messageTreeId, state: messageTreeStates.state, origin: messageTreeStates.origin })
    .from(messageTreeStates)
    .innerJoin(root, eq(root.id, messageTreeStates.messageTreeId))
    .where(and(inArray(messageTreeStates.messageTreeId, ids), ...treeConditions(db, f, shape)))
    .orderBy(asc(messageTreeStates.messageTreeId));
  return { trees, lastScanned: slice.length < pageSize ? null : ids[ids.length - 1]! };
}

/** How many trees the filters select (for progress reporting). */
export async function countExportTrees(db: DbOrTx, f: ResolvedExportFilters, shape: ExportShape): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(messageTreeStates)
    .innerJoin(root, eq(root.id, messageTreeStates.messageTreeId))
    .where(and(...treeConditions(db, f, shape)));
  return row?.n ?? 0;
}

/** The selected messages of a page of trees, in one query, oldest first within each tree. */
export async function fetchPageMessages(
  db: DbOrTx,
  f: ResolvedExportFilters,
  shape: ExportShape,
  treeIds: string[],
): Promise<ExportMessageRow[]> {
  if (treeIds.length === 0) return [];
  const rows: ExportMessageRow[] = await db
    .select({
      id: messages.id,
      parentId: messages.parentId,
      messageTreeId: messages.messageTreeId,
      userId: messages.userId,
      createdDate: sql<string | null>`to_char(${messages.createdDate} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')`,
      text: messages.text,
      role: messages.role,
      lang: messages.lang,
      reviewCount: messages.reviewCount,
      reviewResult: messages.reviewResult,
      deleted: messages.deleted,
      rank: messages.rank,
      synthetic: messages.synthetic,
      modelName: messages.modelName,
      emojis: messages.emojis,
    })
    .from(messages)
    .where(and(inArray(messages.messageTreeId, treeIds), ...messageConditions(messages, f, shape, shape === "messages")))
    .orderBy(asc(messages.messageTreeId), asc(messages.createdDate), asc(messages.id));
  // A separate indexed lookup rather than a join: joined, the planner hashed the whole table on every page.
  const undated = await db
    .select({ id: datasetUndatedMessages.messageId })
    .from(datasetUndatedMessages)
    .where(inArray(datasetUndatedMessages.messageTreeId, treeIds));
  if (undated.length === 0) return rows;
  const unknownDates = new Set(undated.map((row) => row.id));
  for (const row of rows) if (unknownDates.has(row.id)) row.createdDate = null;
  return rows;
}
