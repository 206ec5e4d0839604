import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { messages } from "@/server/db/schema";

/**
 * Text search over messages without search indexes on `messages` (migration message_search_index): the GIN indexes
 * live on `message_search`, a copy of each message's text written by the indexer below, and writers only append the
 * message's id to `message_search_backlog` (in their transaction, by trigger).
 */

/** A text predicate, given the text column to apply it to. */
export type TextMatch = (text: SQL) => SQL;

/** Words: PostgreSQL full-text search with the `simple` configuration (no stemming: the site has many languages). */
export const wordsMatch = (query: SQL): TextMatch => (text) => sql`to_tsvector('simple', ${text}) @@ ${query}`;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);
/** A substring (part of a word, a URL, code), case-insensitive; served by the trigram index. */
export const substringMatch = (needle: string): TextMatch => (text) => sql`${text} ilike ${`%${escapeLike(needle)}%`}`;

/**
 * The messages (in a query over `messages`) whose current text matches: those indexed in `message_search` and not
 * waiting for the indexer (the index's copy is current), plus those waiting, read from `messages` itself. So a search
 * is complete and never matches a text a message no longer has, whether or not the indexer is behind; only its
 * speed depends on the backlog (the waiting texts are read one by one: after a bulk import of a million messages,
 * word searches are slow until the indexer has caught up — bench/dataset-throughput.results.md).
 */
export function textMatches(match: TextMatch): SQL {
  return sql`${messages.id} in (
    select s.message_id from message_search s
    where ${match(sql`s.text`)} and not exists (select 1 from message_search_backlog b where b.message_id = s.message_id)
    union all
    select w.id from messages w where w.id in (select b.message_id from message_search_backlog b) and ${match(sql`w.text`)})`;
}

/** Backlog rows per indexer transaction: small enough that a run never holds many row locks for long. */
export const INDEX_BATCH = 2_000;

export type IndexRun = { indexed: number; busy: boolean; remaining: boolean };

/**
 * Writes the current text of waiting messages to `message_search`, `batch` backlog rows per transaction, until the
 * backlog is empty or `budgetMs` has passed (`remaining` then says more is waiting). One indexer runs at a time
 * (`oa_index_search_backlog` try-locks; `busy`: another held the lock, and this run did nothing).
 */
export async function indexSearchBacklog(db: DbOrTx, options: { batch?: number; budgetMs?: number } = {}): Promise<IndexRun> {
  const batch = options.batch ?? INDEX_BATCH;
  const deadline = performance.now() + (options.budgetMs ?? 50_000);
  let indexed = 0;
  for (;;) {
    const [row] = await db.execute<{ taken: number | null }>(sql`select oa_index_search_backlog(${batch}) as taken`);
    const taken = row?.taken ?? null;
    if (taken === null) return { indexed, busy: indexed === 0, remaining: true };
    indexed += taken;
    if (taken < batch) return { indexed, busy: false, remaining: false };
    if (performance.now() >= deadline) return { indexed, busy: false, remaining: true };
  }
}
