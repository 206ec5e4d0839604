import type { DbOrTx } from "./client";

/**
 * Queries whose SQL text is built once per database handle, then run with new values (drizzle's `.prepare()` with
 * `sql.placeholder`s; the server-side statement is named and parsed once per connection either way, see
 * `preparingClient`). Drizzle otherwise rebuilds a statement's text on every call: 0.1–0.2 ms of the app's CPU for the
 * user row that every signed-in call reads (a select of its ~20 columns), measured in-process on the task round trip.
 *
 * Cached per handle: a query built on the pool runs on the pool, one built on a transaction runs in that transaction
 * (and is dropped with it), so a caller may pass either.
 */
const built = new WeakMap<DbOrTx, Map<string, unknown>>();

/** The query `name` on `db`, built by `build` (given the handle and the name, for drizzle's `.prepare(name)`) on first use. */
export function builtOnce<T>(db: DbOrTx, name: string, build: (db: DbOrTx, name: string) => T): T {
  let queries = built.get(db);
  if (!queries) {
    queries = new Map();
    built.set(db, queries);
  }
  if (!queries.has(name)) queries.set(name, build(db, name));
  return queries.get(name) as T;
}
