/**
 * Small API answers go out uncompressed.
 *
 * Next compresses every response with the `compression` middleware, whose 1 KB threshold reads `content-length`; but
 * Next strips that header from a route handler's `Response` and streams the body chunked, so every API answer was
 * gzipped however small: a fresh zlib stream per answer, and a 60-byte answer came out larger. An answer under the
 * threshold now says `no-transform` (the middleware's documented way to skip one response; it also asks proxies to
 * leave it as it is, which costs nothing at this size). Answers of 1 KB and more are still compressed; streams (SSE,
 * JSON lines) are left as they are.
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

/**
 * The same answer, marked not to be compressed when it is a buffered JSON answer under the threshold (tRPC's
 * non-streamed answers); anything else, streams included, is returned untouched.
 */
export async function withSmallAnswersUncompressed(response: Response): Promise<Response> {
  const streamed = response.headers.get("transfer-encoding") === "chunked";
  const isJson = response.headers.get("content-type")?.startsWith("application/json") ?? false;
  if (!response.body || streamed || !isJson) return response;
  const body = await response.arrayBuffer();
  const headers = markIfSmall(new Headers(response.headers), body.byteLength);
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
