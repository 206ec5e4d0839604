import { describe, expect, it } from "vitest";
import { COMPRESS_FROM_BYTES, isSmallJson, jsonAnswer } from "./small-answers";

const json = (bytes: number) => JSON.stringify({ text: "x".repeat(bytes - 11) });

describe("jsonAnswer: small REST answers go out uncompressed", () => {
  it("marks a JSON answer under the threshold no-transform, keeping its cache-control and body", async () => {
    const small = jsonAnswer(json(60), { status: 200, headers: { "cache-control": "no-store" } });
    expect(small.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(small.headers.get("content-type")).toBe("application/json");
    expect(await small.text()).toBe(json(60));
    expect(jsonAnswer(json(COMPRESS_FROM_BYTES - 1), { status: 404, headers: {} }).headers.get("cache-control")).toBe("no-transform");
  });

  it("leaves an answer of the threshold and more to be compressed", () => {
    const large = jsonAnswer(json(COMPRESS_FROM_BYTES), { status: 200, headers: { "cache-control": "no-store" } });
    expect(large.headers.get("cache-control")).toBe("no-store");
  });

  it("counts bytes, not characters", () => {
    // 400 three-byte characters: 400 characters, 1,200 bytes.
    const text = JSON.stringify({ text: "€".repeat(400) });
    expect(jsonAnswer(text, { status: 200, headers: {} }).headers.get("cache-control")).toBeNull();
  });
});

describe("isSmallJson: a tRPC result's size told without serialising it", () => {
  const serialisedBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

  it("agrees with the serialised size on either side of the threshold", () => {
    const ack = { result: { data: { id: crypto.randomUUID(), type: "label_prompter_reply", acked: true, frontendMessageId: "m-1", expiresAt: new Date() } } };
    expect(serialisedBytes(ack)).toBeLessThan(COMPRESS_FROM_BYTES);
    expect(isSmallJson([ack])).toBe(true);
    expect(isSmallJson([{ result: { data: { done: true } } }])).toBe(true);

    const thread = { result: { data: { messages: Array.from({ length: 4 }, (_, i) => ({ id: crypto.randomUUID(), text: `A reply of some length, number ${i}. `.repeat(8) })) } } };
    expect(serialisedBytes(thread)).toBeGreaterThan(COMPRESS_FROM_BYTES);
    expect(isSmallJson([thread])).toBe(false);
  });

  it("counts the bytes of keys and strings, not their characters", () => {
    // 350 characters: 1,050 bytes as "€", 350 as "e".
    expect(isSmallJson({ text: "€".repeat(350) })).toBe(false);
    expect(isSmallJson({ text: "e".repeat(350) })).toBe(true);
    expect(isSmallJson({ ["ключ".repeat(150)]: 1 })).toBe(false); // 600 characters, 1,200 bytes
    expect(isSmallJson({ ["ключ".repeat(100)]: 1 })).toBe(true); // 800 bytes
  });

  it("walks maps, sets and arrays, and stops at once on a collection longer than the budget", () => {
    expect(isSmallJson(new Map([["a", "x".repeat(2000)]]))).toBe(false);
    expect(isSmallJson(new Set(["x".repeat(2000)]))).toBe(false);
    expect(isSmallJson(new Set([1, 2, 3]))).toBe(true);
    // An array longer than the budget: its items are never read.
    let itemsRead = 0;
    const long = new Proxy(new Array<number>(5000).fill(0), {
      get: (target, key, receiver) => {
        if (typeof key === "string" && /^\d+$/.test(key)) itemsRead++;
        return Reflect.get(target, key, receiver);
      },
    });
    expect(isSmallJson({ long })).toBe(false);
    expect(itemsRead).toBe(0);
    expect(isSmallJson(Array.from({ length: 300 }, () => 7))).toBe(true); // "[7,7,…]": 601 bytes
    expect(isSmallJson(Array.from({ length: 600 }, () => 7))).toBe(false);
  });

  it("ends on a cycle (each visit spends part of the budget)", () => {
    const node: { self?: unknown } = {};
    node.self = node;
    expect(isSmallJson(node)).toBe(false);
  });
});
