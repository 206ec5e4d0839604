import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { messages } from "./messages";

/**
 * The moderators' and the REST API's text search over messages (issue 15 item 6). The two GIN indexes (words:
 * `to_tsvector('simple', text)`; substrings: trigrams) live on this copy of each message's text, not on `messages`,
 * so writing a message never pays for them: on the 2-core machine they cost ~7/8 of an insert into `messages`, which
 * capped a dataset import at ~2,500 messages/s. Rows are written by the search indexer
 * (`indexSearchBacklog`, domain/messages/search-index.ts) from `message_search_backlog`; GIN indexes are migration SQL
 * (message_search_index).
 */
export const messageSearch = pgTable("message_search", {
  messageId: uuid()
    .primaryKey()
    .references(() => messages.id, { onDelete: "cascade" }),
  text: text().notNull(),
});

/**
 * Messages whose text is not yet in `message_search` as it is now: a trigger appends one row per inserted message and
 * per change of a message's text, in the writer's transaction. Append-only without any index (an insert costs one
 * heap tuple, and writers never wait on each other here); the indexer takes rows with SKIP LOCKED and deletes them.
 * Searches read these messages' current text directly (`textMatches`), so a search never misses a message and never
 * matches a stale copy, however far the indexer is behind.
 */
export const messageSearchBacklog = pgTable("message_search_backlog", {
  messageId: uuid().notNull(),
  queuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
