/**
 * A small EventSource over `fetch`, for tRPC subscriptions outside the browser (Node.js has no EventSource) and for
 * sending headers (the API key) with the stream, which the browser's EventSource cannot. It implements what
 * `httpSubscriptionLink` uses: named events, `open`/`error`, `close()` and `readyState`. It does not reconnect by
 * itself: tRPC reconnects with the last event id.
 */
export type FetchEventSourceInit = { headers?: Record<string, string>; fetch?: typeof fetch };

type Listener = (event: { type: string; data?: string; lastEventId?: string }) => void;

export class FetchEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readyState = 0;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly controller = new AbortController();

  constructor(readonly url: string, init: FetchEventSourceInit = {}) {
    void this.run(init);
  }

  addEventListener(type: string, listener: Listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: Listener) {
    this.listeners.get(type)?.delete(listener);
  }

  close() {
    this.readyState = FetchEventSource.CLOSED;
    this.controller.abort();
  }

  private emit(type: string, event: { data?: string; lastEventId?: string } = {}) {
    for (const listener of this.listeners.get(type) ?? []) listener({ type, ...event });
  }

  private async run(init: FetchEventSourceInit) {
    try {
      const response = await (init.fetch ?? fetch)(this.url, {
        headers: { accept: "text/event-stream", ...init.headers },
        signal: this.controller.signal,
      });
      if (!response.ok || !response.body) throw new Error(`The event stream answered HTTP ${response.status}.`);
      this.readyState = FetchEventSource.OPEN;
      this.emit("open");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      let event = { type: "message", data: [] as string[], id: "" };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let newline: number;
        while ((newline = buffer.search(/\r?\n/)) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + (buffer[newline] === "\r" ? 2 : 1));
          if (line === "") {
            if (event.data.length > 0) this.emit(event.type, { data: event.data.join("\n"), lastEventId: event.id });
            event = { type: "message", data: [], id: event.id };
            continue;
          }
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") event.type = text;
          else if (field === "data") event.data.push(text);
          else if (field === "id") event.id = text;
        }
      }
      if (this.readyState !== FetchEventSource.CLOSED) {
        this.readyState = FetchEventSource.CLOSED;
        this.emit("error");
      }
    } catch {
      if (this.readyState === FetchEventSource.CLOSED && this.controller.signal.aborted) return;
      this.readyState = FetchEventSource.CLOSED;
      this.emit("error");
    }
  }
}
