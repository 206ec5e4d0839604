/**
 * Small REST answers go out uncompressed.
 *
 * Next compresses every response with the `compression` middleware, whose 1 KB threshold reads `content-length`; but
 * Next strips that header from a route handler's `Response` and streams the body chunked, so every answer was gzipped
 * however small: a fresh zlib stream per answer, and a 60-byte answer came out larger. An answer under the threshold
 * now says `no-transform` (the middleware's documented way to skip one response; it also asks proxies to leave it as
 * it is, which costs nothing at this size). Answers of 1 KB and more are still compressed.
 *
 * Only where the text is at hand (the REST skin builds its answers from it). tRPC's answers arrive as a `Response`
 * whose size is only known by reading it; reading and rebuilding it was measured (`bench/results/ab-small-answers.md`):
 * 12–14 % less app CPU for a small answer, 7 % more for a large one, about even on a task round trip — not kept.
 */

/** The compression middleware's own threshold: below it, compressing saves nothing a packet would not carry anyway. */
export const COMPRESS_FROM_BYTES = 1024;

/** Marks headers of an answer of `bytes` bytes not to be compressed when it is under the threshold. */
function markIfSmall(headers: Headers, bytes: number): Headers {
  if (bytes >= COMPRESS_FROM_BYTES) return headers;
  const cacheControl = headers.get("cache-control");
  headers.set("cache-control", cacheControl ? `${cacheControl}, no-transform` : "no-transform");
  return headers;
}

/** A JSON answer from its text; under the threshold, marked not to be compressed. */
export function jsonAnswer(text: string, init: { status: number; headers: Record<string, string> }): Response {
  const headers = markIfSmall(new Headers({ "content-type": "application/json", ...init.headers }), Buffer.byteLength(text));
  return new Response(text, { status: init.status, headers });
}
