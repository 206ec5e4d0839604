import { type SQL, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "@/server/db/client";
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
 * How many waiting messages a search reads directly, newest first. Each costs a text-search parse of its text (56 µs:
 * a search over a million waiting messages took 56 s), so a search stays under about a second however far the indexer
 * is behind; the cron drains far more than this every minute, so in a running campaign every waiting message is
 * read. Beyond it (after a bulk import) a search says how many it left out (`unsearchedCount`).
 */
export const PENDING_SCAN_LIMIT = 10_000;

/**
 * The messages (in a query over `messages`) whose current text matches: those indexed in `message_search` and not
 * waiting for the indexer (the index's copy is current), plus the newest `pendingLimit` of those waiting, read from
 * `messages` itself. So a search never matches a text a message no longer has, and misses only waiting messages past
 * the limit (`unsearchedCount` says how many).
 */
export function textMatches(match: TextMatch, pendingLimit = PENDING_SCAN_LIMIT): SQL {
  return sql`${messages.id} in (
    select s.message_id from message_search s
    where ${match(sql`s.text`)} and not exists (select 1 from message_search_backlog b where b.message_id = s.message_id)
    union all
    select w.id from messages w
    where w.id in (select b.message_id from message_search_backlog b order by b.queued_at desc limit ${pendingLimit})
      and ${match(sql`w.text`)})`;
}

/** Backlog rows a search with this limit did not read (0 unless the indexer is more than the limit behind). */
export async function unsearchedCount(db: DbOrTx, pendingLimit = PENDING_SCAN_LIMIT): Promise<number> {
  // Counting stops just past the limit in the usual case, so a search pays for the full count only while it matters.
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from (select 1 from message_search_backlog limit ${pendingLimit + 1}) b`);
  if ((row?.n ?? 0) <= pendingLimit) return 0;
  const [all] = await db.execute<{ n: number }>(sql`select count(*)::int as n from message_search_backlog`);
  return Math.max(0, (all?.n ?? 0) - pendingLimit);
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

/** A run that emptied a backlog of at least this many rows vacuums it (`tidySearchBacklog`). */
export const VACUUM_AFTER_ROWS = 10_000;

/**
 * Vacuums the backlog after a large drain (a bulk import): searches scan it for waiting messages, and until autovacuum
 * comes by, the rows the indexer deleted still cost that scan (35 ms for 100k deleted rows). Outside a transaction.
 */
export async function tidySearchBacklog(db: Database, run: IndexRun): Promise<boolean> {
  if (run.remaining || run.indexed < VACUUM_AFTER_ROWS) return false;
  await db.execute(sql`vacuum (analyze) message_search_backlog`);
  return true;
}

/**
 * Indexes until nothing is waiting, then tidies the backlog: for the benchmarks and operators after a bulk load (the
 * cron job keeps to its time budget instead). Waits while another indexer holds the lock. Returns the rows taken.
 */
export async function drainSearchBacklog(db: Database): Promise<number> {
  let indexed = 0;
  for (;;) {
    const run = await indexSearchBacklog(db, { budgetMs: Number.POSITIVE_INFINITY });
    indexed += run.indexed;
    if (!run.remaining) {
      await tidySearchBacklog(db, { ...run, indexed });
      return indexed;
    }
    if (run.busy) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
