import { describe, expect, it } from "vitest";
import { flag, numberFlag } from "./cli-flags";

describe("bench/cli-flags.ts", () => {
  const argv = ["node", "bench/x.ts", "--db=postgres://h/db?sslmode=disable&x=1", "--users=300", "--dbx=other"];

  it("reads a flag's whole value, `=` included, and only the flag of that exact name", () => {
    expect(flag("db", undefined, argv)).toBe("postgres://h/db?sslmode=disable&x=1");
    expect(flag("dbx", undefined, argv)).toBe("other");
  });

  it("answers the fallback for a flag that is not given", () => {
    expect(flag("out", undefined, argv)).toBeUndefined();
    expect(flag("out", "results.md", argv)).toBe("results.md");
    expect(numberFlag("users", 100_000, argv)).toBe(300);
    expect(numberFlag("messages", 1_000_000, argv)).toBe(1_000_000);
  });
});
