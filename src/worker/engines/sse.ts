/**
 * Incremental server-sent-events parser (https://html.spec.whatwg.org/multipage/server-sent-events.html). Network
 * chunks split lines anywhere, even inside a `\r\n`; only complete lines are interpreted, and an event is emitted at
 * the blank line that ends it — the cases of OA's `website/src/lib/chat_stream.test.ts` (spec §6).
 */
export type SseEvent = { event: string; data: string; id: string | null };

export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private eventName = "";
  private lastId: string | null = null;
  private pendingCr = false;

  /** Feeds a chunk of the body; returns the events it completed. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    // A `\r` at the end of the previous chunk may be the first half of `\r\n`.
    if (this.pendingCr && text.startsWith("\n")) text = text.slice(1);
    this.pendingCr = text.endsWith("\r");
    this.buffer += text;
    const events: SseEvent[] = [];
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? "";
    for (const line of lines) {
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === "") {
      if (this.data.length === 0) {
        this.eventName = "";
        return null;
      }
      const event = { event: this.eventName || "message", data: this.data.join("\n"), id: this.lastId };
      this.data = [];
      this.eventName = "";
      return event;
    }
    if (line.startsWith(":")) return null; // comment, e.g. sse-starlette's `: ping`
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.eventName = value;
    else if (field === "id" && !value.includes("\0")) this.lastId = value;
    return null;
  }
}

/** Reads a fetch body as SSE events. An unfinished last event (no blank line) is dropped, as by browsers. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    yield* parser.push(decoder.decode(bytes, { stream: true }));
  }
  yield* parser.push(decoder.decode());
}
