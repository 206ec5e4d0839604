import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Test support: a local stand-in for the Hugging Face Inference API, an OpenAI-compatible embeddings server and
 * text-embeddings-inference, on 127.0.0.1 at a free port. Texts containing "hate" score toxic; embeddings are
 * bag-of-words vectors, so texts sharing most words are close. `failNext` makes the next calls fail (e.g. 503 while
 * "the model loads"); `requests` records what was asked.
 */
export async function startFakeModelServer() {
  const requests: { path: string; body: unknown; authorization?: string }[] = [];
  const failures: number[] = [];

  const server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    request.on("end", () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const path = request.url ?? "/";
      requests.push({ path, body, authorization: request.headers.authorization });
      const send = (status: number, payload: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(payload));
      };
      const failure = failures.shift();
      if (failure) return send(failure, { error: "Model is currently loading", estimated_time: 20 });
      const text = String(body.inputs ?? body.input ?? "");
      if (path.endsWith("/pipeline/feature-extraction")) return send(200, bagOfWords(text));
      if (path.endsWith("/embeddings")) return send(200, { object: "list", data: [{ index: 0, embedding: bagOfWords(text) }] });
      if (path.endsWith("/embed")) return send(200, [bagOfWords(text)]);
      if (path.startsWith("/models/")) {
        const toxic = /hate/i.test(text) ? 0.97 : 0.02;
        return send(200, [[{ label: toxic > 0.5 ? "toxic" : "non-toxic", score: Math.max(toxic, 1 - toxic) }, { label: toxic > 0.5 ? "non-toxic" : "toxic", score: Math.min(toxic, 1 - toxic) }]]);
      }
      send(404, { error: `no route ${path}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (times: number, status = 503) => failures.push(...Array.from({ length: times }, () => status)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeModelServer = Awaited<ReturnType<typeof startFakeModelServer>>;

const DIMENSIONS = 64;

export function bagOfWords(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 0;
    for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    vector[hash % DIMENSIONS]! += 1;
  }
  return vector;
}
