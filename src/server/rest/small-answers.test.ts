import { describe, expect, it } from "vitest";
import { COMPRESS_FROM_BYTES, jsonAnswer } from "./small-answers";

const json = (bytes: number) => JSON.stringify({ text: "x".repeat(bytes - 11) });

describe("small REST answers go out uncompressed", () => {
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
