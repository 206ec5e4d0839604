/**
 * One line (plus stack) for a server log about an unexpected error, without the values it was working on: drizzle's
 * "Failed query: … params: …" message and postgres.js's `parameters`/`detail` carry message texts, e-mail addresses
 * and key hashes, so the log keeps the statement, the error class, the SQLSTATE and the stack, never the parameters.
 */
const MAX_QUERY_CHARS = 400;

type ErrorLike = {
  name?: string;
  message?: string;
  code?: unknown;
  query?: unknown;
  stack?: string;
  cause?: unknown;
};

function redactMessage(message: string): string {
  // drizzle-orm's DrizzleQueryError: "Failed query: <sql>\nparams: <values>"
  return message.replace(/\nparams: [\s\S]*$/, "\nparams: [redacted]");
}

function oneError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error === "string" ? redactMessage(error) : `non-error value (${typeof error})`;
  const e = error as ErrorLike;
  const parts = [`${e.name ?? "Error"}: ${redactMessage(e.message ?? "")}`];
  if (typeof e.code === "string" || typeof e.code === "number") parts.push(`code=${e.code}`);
  if (typeof e.query === "string" && !e.message?.includes("Failed query")) parts.push(`query=${e.query.slice(0, MAX_QUERY_CHARS)}`);
  return parts.join(" ");
}

export function describeErrorForLog(error: unknown): string {
  const chain: string[] = [];
  let current: unknown = error;
  for (let hops = 0; current !== undefined && current !== null && hops < 5; hops++) {
    chain.push(oneError(current));
    current = current instanceof Error ? (current as ErrorLike).cause : undefined;
  }
  const stack = error instanceof Error && error.stack ? error.stack
          .split("\n")
          .filter((line) => /^\s+at /.test(line)) // the stack's head repeats the (unredacted) message
          .slice(0, 8)
          .join("\n") : "";
  return `${chain.join(" ← caused by ")}${stack ? `\n${stack}` : ""}`;
}
