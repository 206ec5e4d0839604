import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { anonymizedUuid, createAnonymizer } from "./anonymizer";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const id = "054e1df3-35e0-4bb8-a585-607dbdcd24e0";

describe("anonymizer", () => {
  it("formats the original's sha256(collection:id + seed) as a version-4 UUID", () => {
    const hex = createHash("sha256").update(`message:${id}42`).digest("hex");
    const uuid = anonymizedUuid("message", id, "42");
    expect(uuid).toMatch(UUID_V4);
    // Only the version nibble and the two variant bits differ from the original's hash.
    const digits = uuid.replaceAll("-", "");
    expect(digits.slice(0, 12)).toBe(hex.slice(0, 12));
    expect(digits.slice(13, 16)).toBe(hex.slice(13, 16));
    expect(parseInt(digits[16]!, 16) & 0x3).toBe(parseInt(hex[16]!, 16) & 0x3);
    expect(digits.slice(17)).toBe(hex.slice(17, 32));
  });

  it("is stable for a seed, differs between seeds and between collections", () => {
    const a = createAnonymizer(42);
    expect(a.message(id)).toBe(createAnonymizer("42").message(id));
    expect(a.message(id)).not.toBe(createAnonymizer(43).message(id));
    expect(a.message(id)).not.toBe(a.user(id));
  });

  it("leaves ids alone without a seed", () => {
    expect(createAnonymizer(undefined).message(id)).toBe(id);
    expect(createAnonymizer("").user(id)).toBe(id);
  });
});
