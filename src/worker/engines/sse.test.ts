import { describe, expect, it } from "vitest";
import { readSse, SseParser } from "./sse";

/** The cases of OA's `website/src/lib/chat_stream.test.ts` (spec §6), for our parser. */
function parseAll(chunks: string[]) {
  const parser = new SseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

describe("SseParser", () => {
  it("reassembles events split mid-line and mid-field", () => {
    const events = parseAll(["dat", "a: {", '"text":', ' "hi"}', "\n", "\n"]);
    expect(events).toEqual([{ event: "message", data: '{"text": "hi"}', id: null }]);
  });

  it("handles \\r\\n, also when split between the \\r and the \\n", () => {
    expect(parseAll(["data: a\r\n\r\n", "data: b\r", "\n\r", "\n"]).map((e) => e.data)).toEqual(["a", "b"]);
  });

  it("gives an empty value for a field with nothing after the colon", () => {
    expect(parseAll(["data:\n\n"])).toEqual([{ event: "message", data: "", id: null }]);
  });

  it("yields several events from one chunk separately, with names and ids", () => {
    const events = parseAll(["event: ping\ndata: 1\n\nid: 7\ndata: x\n\n: comment\ndata: y\n\n"]);
    expect(events).toEqual([
      { event: "ping", data: "1", id: null },
      { event: "message", data: "x", id: "7" },
      { event: "message", data: "y", id: "7" },
    ]);
  });

  it("does not emit an unfinished last event", () => {
    expect(parseAll(["data: done\n\ndata: unfinished"])).toHaveLength(1);
    expect(parseAll(["data: almost\n"])).toHaveLength(0);
  });

  it("parses JSON with escapes, commas, dots, backticks and backslashes exactly", () => {
    const text = 'line\n"quoted", dots... `code` back\\slash';
    const [event] = parseAll([`data: ${JSON.stringify({ text })}\n\n`]);
    expect(JSON.parse(event!.data)).toEqual({ text });
  });

  it("keeps 17 tokens in order when the stream is cut into 5-byte pieces", async () => {
    const tokens = Array.from({ length: 17 }, (_, i) => `tok${i} `);
    const wire = tokens.map((t) => `data: ${JSON.stringify({ t })}\n\n`).join("");
    const bytes = new TextEncoder().encode(wire);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 5) controller.enqueue(bytes.slice(i, i + 5));
        controller.close();
      },
    });
    const seen: string[] = [];
    for await (const event of readSse(body)) seen.push((JSON.parse(event.data) as { t: string }).t);
    expect(seen).toEqual(tokens);
  });

  it("decodes multi-byte characters split across chunks", async () => {
    const bytes = new TextEncoder().encode('data: {"t":"héllo ✓"}\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readSse(body)) events.push(event);
    expect(JSON.parse(events[0]!.data)).toEqual({ t: "héllo ✓" });
  });
});
