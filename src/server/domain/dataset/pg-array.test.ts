import { describe, expect, it } from "vitest";
import { pgArray } from "./pg-array";

describe("pgArray", () => {
  it("quotes every element, escapes quotes and backslashes, and writes NULL for null", () => {
    expect(pgArray([])).toBe("{}");
    expect(pgArray(["a", null, 'say "hi"', "back\\slash", "NULL", "{,}", 3, true, false])).toBe(
      '{"a",NULL,"say \\"hi\\"","back\\\\slash","NULL","{,}","3","t","f"}',
    );
  });
});
