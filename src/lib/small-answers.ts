/**
 * Small API answers go out uncompressed.
 *
 * Next compresses every response with the `compression` middleware, whose 1 KB threshold reads `content-length`; but
 * Next strips that header from a route handler's `Response` and streams the body chunked, so every answer was gzipped
 * however small: a fresh zlib stream per answer, and a 60-byte answer came out larger. An answer under the threshold
 * now says `no-transform` (the middleware's documented way to skip one response; it also asks proxies to leave it as
 * it is, which costs nothing at this size). Answers of 1 KB and more are still compressed.
 *
 * The REST skin knows its answer's text (`jsonAnswer`). tRPC builds its `Response` itself, whose size is only known by
 * reading it, which cost a large answer 7 % more app CPU (`bench/results/ab-small-answers.md`); its `responseMeta`
 * hook sees the procedures' results before they are serialised, so the tRPC skin asks `isSmallJson` of them instead.
 */

/** The compression middleware's own threshold: below it, compressing saves nothing a packet would not carry anyway. */
export const COMPRESS_FROM_BYTES = 1024;

/** `cache-control` with `no-transform` added: the compression middleware leaves such an answer as it is. */
export const withNoTransform = (cacheControl: string | null) => (cacheControl ? `${cacheControl}, no-transform` : "no-transform");

/** Marks headers of an answer of `bytes` bytes not to be compressed when it is under the threshold. */
function markIfSmall(headers: Headers, bytes: number): Headers {
  if (bytes >= COMPRESS_FROM_BYTES) return headers;
  headers.set("cache-control", withNoTransform(headers.get("cache-control")));
  return headers;
}

/** A JSON answer from its text; under the threshold, marked not to be compressed. */
export function jsonAnswer(text: string, init: { status: number; headers: Record<string, string> }): Response {
  const headers = markIfSmall(new Headers({ "content-type": "application/json", ...init.headers }), Buffer.byteLength(text));
  return new Response(text, { status: init.status, headers });
}

/**
 * Whether `value` would serialise to JSON under `limit` bytes, told without serialising it: a walk that charges each
 * value what its JSON costs at least (strings by their UTF-8 bytes, a date as its ISO text plus the transformer's note
 * of its type) and stops as soon as the budget is spent, so a large answer costs a few dozen steps, not its size.
 * An estimate, not a byte count: close for the small answers it is asked about (ids, flags, short texts).
 */
export function isSmallJson(value: unknown, limit = COMPRESS_FROM_BYTES): boolean {
  let budget = limit;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === "string") budget -= next.length >= budget ? budget : Buffer.byteLength(next) + 2;
    else if (typeof next === "number" || typeof next === "bigint") budget -= String(next).length;
    else if (next === null || next === undefined || typeof next === "boolean") budget -= 5;
    else if (next instanceof Date) budget -= 64;
    else if (next instanceof Map || next instanceof Set || Array.isArray(next)) {
      // Every item costs at least a byte: a collection longer than the budget is not small, and is not walked.
      const size = Array.isArray(next) ? next.length : next.size;
      budget -= 2 + size;
      if (budget > 0) pending.push(...next);
    } else if (typeof next === "object") {
      budget -= 2;
      for (const [key, item] of Object.entries(next)) {
        budget -= Buffer.byteLength(key) + 4;
        pending.push(item);
      }
    } else budget -= 1;
    if (budget <= 0) return false;
  }
  return true;
}
