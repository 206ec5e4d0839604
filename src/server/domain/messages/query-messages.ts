import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages, users } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { MessageView, Viewer } from "./dto";
import { cursorTimestamp, encodeCursor, listableFor } from "./pages";
import { selectMessagesWithAuthor, toMessageViews } from "./queries";
import { textMatches, wordsMatch } from "./search-index";

/**
 * Message lists with the original's filters and two-way keyset paging (OA `query_messages_ordered_by_created_date`,
 * `GET /messages/cursor`). What a viewer may list is the rule of `listMessages`: non-moderators never get deleted
 * messages, nor other people's rejected ones.
 */

export type MessageQuery = {
  userId?: string;
  /** The author's identity at an API client (both or neither: 2012). */
  authMethod?: string;
  username?: string;
  /** Messages written through this API client. */
  apiClientId?: string;
  lang?: string;
  onlyRoots?: boolean;
  /** Deleted messages too; honoured for moderators only. */
  includeDeleted?: boolean;
  /** Inclusive creation-date bounds. */
  startDate?: Date;
  endDate?: Date;
  /** Full-text search (needs `lang`, as in the original). */
  searchQuery?: string;
};

/** A keyset position: `<uuid>$<timestamp>`, or a bare timestamp (inclusive bound on the date alone). */
export type MessageKeyset = { at: string; id: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseMessageKeyset(value: string): MessageKeyset {
  const separator = value.indexOf("$");
  const id = separator >= 0 ? value.slice(0, separator) : null;
  const at = separator >= 0 ? value.slice(separator + 1) : value;
  if ((id !== null && !UUID.test(id)) || !TIMESTAMP.test(at) || Number.isNaN(Date.parse(at))) {
    throw new AppError("INVALID_CURSOR_VALUE", "This page cursor is not valid; start again from the first page.");
  }
  // A date without an offset is UTC (OA `unaware_to_utc`).
  return { id, at: /T.*(Z|[+-]\d{2}:?\d{2})$/.test(at) || !at.includes("T") ? at : `${at}Z` };
}

const KEY = sql`(${messages.createdDate}, ${messages.id})`;

function keysetCondition(keyset: MessageKeyset, op: ">" | "<"): SQL {
  if (keyset.id) return sql`${KEY} ${sql.raw(op)} (${keyset.at}::timestamptz, ${keyset.id}::uuid)`;
  return sql`${messages.createdDate} ${sql.raw(op)}= ${keyset.at}::timestamptz`;
}

function conditions(viewer: Viewer, query: MessageQuery): SQL | undefined {
  if ((query.authMethod === undefined) !== (query.username === undefined)) {
    throw new AppError("AUTH_AND_USERNAME_REQUIRED", "Give both auth_method and username, or neither.");
  }
  if (query.searchQuery && !query.lang) throw new AppError("INVALID_INPUT", "A search_query needs a lang.");
  const author = query.authMethod !== undefined
    ? sql`${messages.userId} in (select ${users.id} from ${users} where ${users.authMethod} = ${query.authMethod} and ${users.username} = ${query.username!}
        ${query.apiClientId ? sql`and ${users.apiClientId} = ${query.apiClientId}::uuid` : sql``})`
    : undefined;
  return and(
    query.userId ? eq(messages.userId, query.userId) : undefined,
    author,
    query.apiClientId ? eq(messages.apiClientId, query.apiClientId) : undefined,
    query.lang ? eq(messages.lang, query.lang) : undefined,
    query.onlyRoots ? isNull(messages.parentId) : undefined,
    query.startDate ? sql`${messages.createdDate} >= ${query.startDate.toISOString()}::timestamptz` : undefined,
    query.endDate ? sql`${messages.createdDate} <= ${query.endDate.toISOString()}::timestamptz` : undefined,
    query.searchQuery ? textMatches(wordsMatch(sql`plainto_tsquery('simple', ${query.searchQuery})`)) : undefined,
    listableFor(viewer, query),
  );
}

async function select(db: DbOrTx, where: SQL | undefined, descending: boolean, limit: number) {
  return selectMessagesWithAuthor(db, where)
    .orderBy(...(descending ? [desc(messages.createdDate), desc(messages.id)] : [asc(messages.createdDate), asc(messages.id)]))
    .limit(limit);
}

/** The first `limit` messages by creation date (OA `GET /messages/`). */
export async function queryMessages(db: DbOrTx, viewer: Viewer, query: MessageQuery, page: { limit: number; desc: boolean }): Promise<MessageView[]> {
  return toMessageViews(db, viewer, await select(db, conditions(viewer, query), page.desc, page.limit));
}

export type MessageCursorPage = { items: MessageView[]; prev: string | null; next: string | null; order: "asc" | "desc" };

/**
 * One page in display order (`desc` or ascending). `after` continues forward from a cursor, `before` goes back from
 * one; with both, the messages between them. `next` and `prev` are the cursors to pass as `after` and `before`
 * (the original's semantics, OA `get_messages_cursor`). Cursors carry the database's microseconds, so rows created
 * in the same millisecond are neither skipped nor repeated.
 */
export async function queryMessagePage(
  db: DbOrTx,
  viewer: Viewer,
  query: MessageQuery,
  page: { before?: string; after?: string; limit: number; desc: boolean },
): Promise<MessageCursorPage> {
  const before = page.before ? parseMessageKeyset(page.before) : null;
  const after = page.after ? parseMessageKeyset(page.after) : null;
  const forward = page.desc ? "<" : ">";
  const backward = page.desc ? ">" : "<";
  // Going back from `before` alone reads away from it (the nearest first), then shows the page in display order.
  const reversed = before !== null && after === null;
  const both = before !== null && after !== null;
  const where = and(conditions(viewer, query), after ? keysetCondition(after, forward) : undefined, before ? keysetCondition(before, backward) : undefined);
  const rows = await select(db, where, reversed ? !page.desc : page.desc, both ? page.limit : page.limit + 1);
  const more = !both && rows.length > page.limit;
  const pageRows = rows.slice(0, page.limit);
  if (reversed) pageRows.reverse();
  const keys = pageRows.length
    ? await db.select({ id: messages.id, at: cursorTimestamp(messages.createdDate) }).from(messages).where(inArray(messages.id, [pageRows[0]!.message.id, pageRows.at(-1)!.message.id]))
    : [];
  const cursorOf = (id: string) => {
    const key = keys.find((k) => k.id === id);
    return key ? encodeCursor({ id, at: key.at }) : null;
  };
  const first = pageRows[0];
  const last = pageRows.at(-1);
  return {
    items: await toMessageViews(db, viewer, pageRows),
    prev: first ? ((more && before) || after ? cursorOf(first.message.id) : null) : (page.after ?? null),
    next: last ? (more || before ? cursorOf(last.message.id) : null) : (page.before ?? null),
    order: page.desc ? "desc" : "asc",
  };
}
