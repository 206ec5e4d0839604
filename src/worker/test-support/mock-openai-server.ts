import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local streaming server that speaks the OpenAI-compatible protocol (`/v1/chat/completions`, `/v1/completions`),
 * for tests, e2e and the benchmark: no GPU, no network. Behaviour is set per server and can be changed between
 * requests; every request body is recorded.
 */
export type MockBehaviour = {
  /** The text pieces streamed, one SSE event each. */
  tokens: string[] | ((body: Record<string, unknown>) => string[]);
  firstTokenDelayMs: number;
  tokenDelayMs: number;
  /** Answer with this HTTP status and no stream. */
  failWithStatus: number | null;
  /** Write the SSE bytes in pieces of this size, splitting lines mid-way (as proxies do). 0 = one write per event. */
  splitEvery: number;
  finishReason: "stop" | "length";
  /** The next this many responses end after the tokens with neither a finish reason nor [DONE] (a crashed server, a
   *  cut connection); `Infinity` for all. */
  cutOffNext: number;
  /** Send the finish reason but no [DONE] line (some servers do). */
  omitDone: boolean;
};

export type MockOpenAiServer = {
  /** e.g. http://127.0.0.1:port/v1 */
  baseUrl: string;
  behaviour: MockBehaviour;
  requests: { path: string; body: Record<string, unknown> }[];
  /** Streams currently open (a stopped generation closes its connection). */
  openStreams: () => number;
  close: () => Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startMockOpenAiServer(initial: Partial<MockBehaviour> = {}): Promise<MockOpenAiServer> {
  const behaviour: MockBehaviour = {
    tokens: ["Hello", " there", "!"],
    firstTokenDelayMs: 0,
    tokenDelayMs: 0,
    failWithStatus: null,
    splitEvery: 0,
    finishReason: "stop",
    cutOffNext: 0,
    omitDone: false,
    ...initial,
  };
  const requests: MockOpenAiServer["requests"] = [];
  let open = 0;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const path = (req.url ?? "").replace(/^\/v1/, "");
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    requests.push({ path, body });
    if (req.method !== "POST" || (path !== "/chat/completions" && path !== "/completions")) {
      res.writeHead(404).end("not found");
      return;
    }
    if (behaviour.failWithStatus) {
      res.writeHead(behaviour.failWithStatus, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "mock failure" } }));
      return;
    }
    const chat = path === "/chat/completions";
    const tokens = typeof behaviour.tokens === "function" ? behaviour.tokens(body) : behaviour.tokens;
    const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : Infinity;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    open++;
    let closed = false;
    res.on("close", () => {
      closed = true;
      open--;
    });
    const send = async (payload: string) => {
      const text = `data: ${payload}\n\n`;
      if (!behaviour.splitEvery) res.write(text);
      else for (let i = 0; i < text.length; i += behaviour.splitEvery) res.write(text.slice(i, i + behaviour.splitEvery));
    };
    const chunk = (text: string, finish: string | null) =>
      JSON.stringify({
        id: "cmpl-mock",
        object: chat ? "chat.completion.chunk" : "text_completion",
        choices: [chat ? { index: 0, delta: { content: text }, finish_reason: finish } : { index: 0, text, finish_reason: finish }],
      });
    await sleep(behaviour.firstTokenDelayMs);
    let sent = 0;
    for (const token of tokens) {
      if (closed || sent >= maxTokens) break;
      if (sent > 0) await sleep(behaviour.tokenDelayMs);
      await send(chunk(token, null));
      sent++;
    }
    const cutOff = behaviour.cutOffNext > 0;
    if (cutOff) behaviour.cutOffNext--;
    if (!closed) {
      if (!cutOff) await send(chunk("", sent >= maxTokens && sent < tokens.length ? "length" : behaviour.finishReason));
      if (!cutOff && !behaviour.omitDone) await send("[DONE]");
      res.end();
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    behaviour,
    requests,
    openStreams: () => open,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
