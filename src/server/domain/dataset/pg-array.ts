import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/**
 * PostgreSQL array literals, for bulk writes as `unnest($1::uuid[], $2::text[], …)`: one bind parameter per
 * column instead of one per value, so a few thousand rows cost one short statement (drizzle's multi-row VALUES
 * spends more time building the statement than PostgreSQL spends running it). Every string is quoted, so any
 * text is safe; null becomes NULL.
 */
export function pgArray(values: readonly (string | number | boolean | null)[]): string {
  return `{${values.map(element).join(",")}}`;
}

const NEEDS_ESCAPE = /[\\"]/;
const ESCAPED = /[\\"]/g;

function element(value: string | number | boolean | null): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? `"t"` : `"f"`;
  if (typeof value === "number") return `"${value}"`;
  // Most texts (and every id) hold neither character: a test is far cheaper than a replace with a callback, and the
  // importer builds one array literal per column of every 2,000 messages.
  return NEEDS_ESCAPE.test(value) ? `"${value.replace(ESCAPED, "\\$&")}"` : `"${value}"`;
}

/** `column = any($1::uuid[])` with one array parameter, however many ids (not one bind parameter per id). */
export const isAnyUuid = (column: AnyColumn, ids: readonly string[]): SQL => sql`${column} = any(${pgArray(ids)}::uuid[])`;
