import type postgres from "postgres";

/**
 * The moderators' text-search indexes on `messages` (migration admin_queue_triggers): maintained row by row they
 * cost about 7/8 of every insert (bench/dataset-throughput.results.md, 17:10 diagnosis), so a bulk import takes
 * them out while it writes and builds them again at the end — one bulk GIN build is far cheaper than a million
 * incremental inserts. While they are out, message search still works (a sequential scan) but is slow.
 *
 * Safe against a process that dies midway: `restoreMessageSearchIndexes` re-creates any of them that is missing
 * (or left invalid by an interrupted concurrent build) from the definitions below — at the start of every import,
 * at the end of a bulk one and after every `migrate` — unless a bulk import is running.
 *
 * Serialised with an advisory lock on `BULK_IMPORT_LOCK_KEY`: every bulk import holds it shared for as long as the
 * indexes must stay out (several bulk imports may run together); restoring takes it exclusively with a try-lock,
 * so it never waits for an import and never rebuilds under one. The last bulk import to finish restores.
 */
export const MESSAGE_SEARCH_INDEXES = [
  // Exactly the definitions of the migration (keep in step): the search queries must still match them.
  { name: "messages_text_fts_idx", using: "gin (to_tsvector('simple', text))" },
  { name: "messages_text_trgm_idx", using: "gin (text gin_trgm_ops)" },
] as const;

/** Any constant, distinct from the migration lock (727001) and the test template lock (727002). */
export const BULK_IMPORT_LOCK_KEY = 727_015;

/**
 * Memory for one index build (PostgreSQL's default is 64 MB). A GIN build collects its entries in this much memory
 * before writing them out; over 100k messages the trigram build took 46 s with 256 MB and 28 s with 1 GB. It is
 * taken only while a build runs, by the one session that builds.
 */
const BUILD_MEMORY = "1GB";

/** A connection of its own: session advisory locks and CONCURRENTLY statements need one session, outside transactions. */
type Session = postgres.Sql | postgres.ReservedSql;

/**
 * Whether the server gives each connection a session of its own. The embedded server (PGlite) runs every
 * connection in one backend, where advisory locks cannot tell imports apart: imports into it never go bulk.
 */
export async function separateSessions(session: Session): Promise<boolean> {
  const [row] = await session<{ embedded: boolean }[]>`select version() like '%PGlite%' as embedded`;
  return !row?.embedded;
}

/** The search indexes that exist and are valid. */
async function presentIndexes(session: Session): Promise<Set<string>> {
  const rows = await session<{ name: string; valid: boolean }[]>`
    select c.relname as name, i.indisvalid as valid
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid = 'messages'::regclass and c.relname in ${session(MESSAGE_SEARCH_INDEXES.map((index) => index.name))}`;
  const present = new Set<string>();
  for (const row of rows) {
    if (row.valid) present.add(row.name);
    // An interrupted CREATE INDEX CONCURRENTLY leaves an invalid index that IF NOT EXISTS would keep for ever.
    else await session.unsafe(`drop index concurrently if exists ${row.name}`);
  }
  return present;
}

/**
 * Builds the missing search indexes (CONCURRENTLY: the site keeps writing messages meanwhile) unless a bulk
 * import holds them out. Returns the names it built, or "busy" when a bulk import or another restore is running.
 */
export async function restoreMessageSearchIndexes(session: Session): Promise<string[] | "busy"> {
  const [lock] = await session<{ locked: boolean }[]>`select pg_try_advisory_lock(${BULK_IMPORT_LOCK_KEY}) as locked`;
  if (!lock?.locked) return "busy";
  try {
    // A database migrated by another set of migrations (a test's) may have no messages table.
    const [table] = await session<{ found: boolean }[]>`select to_regclass('messages') is not null as found`;
    if (!table?.found) return [];
    const present = await presentIndexes(session);
    const missing = MESSAGE_SEARCH_INDEXES.filter((index) => !present.has(index.name));
    if (missing.length === 0) return [];
    await session.unsafe(`set maintenance_work_mem = '${BUILD_MEMORY}'`);
    try {
      for (const index of missing) {
        await session.unsafe(`create index concurrently if not exists ${index.name} on messages using ${index.using}`);
      }
    } finally {
      await session.unsafe("reset maintenance_work_mem");
    }
    return missing.map((index) => index.name);
  } finally {
    await session`select pg_advisory_unlock(${BULK_IMPORT_LOCK_KEY})`;
  }
}

/**
 * Starts a bulk phase on `session`: takes the shared lock (without waiting: false while a restore is building)
 * and drops the search indexes. The caller ends it with `endBulkPhase` on the same session.
 */
export async function beginBulkPhase(session: Session): Promise<boolean> {
  const [lock] = await session<{ locked: boolean }[]>`select pg_try_advisory_lock_shared(${BULK_IMPORT_LOCK_KEY}) as locked`;
  if (!lock?.locked) return false;
  for (const index of MESSAGE_SEARCH_INDEXES) await session.unsafe(`drop index concurrently if exists ${index.name}`);
  return true;
}

/** Ends a bulk phase: releases the shared lock and, if no other bulk import is running, rebuilds the indexes. */
export async function endBulkPhase(session: Session): Promise<string[] | "busy"> {
  await session`select pg_advisory_unlock_shared(${BULK_IMPORT_LOCK_KEY})`;
  return restoreMessageSearchIndexes(session);
}
