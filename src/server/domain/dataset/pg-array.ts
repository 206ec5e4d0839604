/**
 * PostgreSQL array literals, for bulk writes as `unnest($1::uuid[], $2::text[], …)`: one bind parameter per
 * column instead of one per value, so a few thousand rows cost one short statement (drizzle's multi-row VALUES
 * spends more time building the statement than PostgreSQL spends running it). Every element is quoted, so any
 * text is safe; null becomes NULL.
 */
export function pgArray(values: readonly (string | number | boolean | null)[]): string {
  const elements = values.map((value) => {
    if (value === null) return "NULL";
    const text = typeof value === "boolean" ? (value ? "t" : "f") : String(value);
    return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
  });
  return `{${elements.join(",")}}`;
}
