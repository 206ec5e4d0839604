/**
 * A request body is read at most up to a limit: a declared `Content-Length` over it fails at once, and a body
 * without one (chunked) fails as soon as the bytes read pass it, so a 200 MB body costs the server at most the
 * limit in memory. The failure is a `BodyTooLargeError` from whatever reads the body (`req.json()`), which the API
 * layer answers with a typed 413.
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The request body is too large (at most ${formatBytes(maxBytes)}).`);
    this.name = "BodyTooLargeError";
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** The `BodyTooLargeError` somewhere in an error's cause chain (body readers wrap stream errors), if any. */
export function findBodyTooLarge(error: unknown): BodyTooLargeError | null {
  for (let current = error, hops = 0; current && hops < 5; hops++) {
    if (current instanceof BodyTooLargeError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** The same request, with a body that refuses to be read past `maxBytes`. */
export function limitRequestBody(req: Request, maxBytes: number): Request {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length"));
  const original = req.body;
  let limited: ReadableStream<Uint8Array>;
  if (Number.isFinite(declared) && declared > maxBytes) {
    void original.cancel().catch(() => {});
    limited = new ReadableStream({ start: (controller) => controller.error(new BodyTooLargeError(maxBytes)) });
  } else {
    let seen = 0;
    limited = original.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) controller.error(new BodyTooLargeError(maxBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
  }
  return new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body: limited,
    signal: req.signal,
    // Required by Node's fetch for a streamed request body.
    duplex: "half",
  } as RequestInit & { duplex: "half" });
}
