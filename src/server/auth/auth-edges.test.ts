import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { maskEmail, sendMagicLink } from "./magic-link";

afterEach(() => vi.restoreAllMocks());

describe("magic-link sign-in without SMTP (issue 12 finding 18)", () => {
  it("never writes the link to the log; it goes to an owner-only file and the log names a masked address", async () => {
    const lines: string[] = [];
    for (const method of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const outbox = path.join(mkdtempSync(path.join(tmpdir(), "oa-outbox-")), "links.txt");
    const url = "http://localhost:3000/api/auth/callback/nodemailer?token=s3cr3t-token&email=alice%40example.com";
    await sendMagicLink({ identifier: `alice-${Date.now()}@example.com`, url }, { from: "x@localhost" }, outbox);
    const log = lines.join("\n");
    expect(log).not.toContain("s3cr3t-token");
    expect(log).not.toContain("alice-");
    expect(log).toContain("a…@example.com");
    expect(readFileSync(outbox, "utf8")).toContain(url);
    expect(statSync(outbox).mode & 0o077).toBe(0);
  });

  it("masks addresses", () => {
    expect(maskEmail("bob@example.org")).toBe("b…@example.org");
    expect(maskEmail("nonsense")).toBe("…");
  });
});

describe("session cookies behind HTTPS (finding 17)", () => {
  it("are Secure when AUTH_URL is https, or in production without AUTH_URL; an explicit http AUTH_URL opts out", async () => {
    const { secureCookies } = await import("./config");
    expect(secureCookies({ AUTH_URL: "https://oa.example", NODE_ENV: "development" })).toBe(true);
    expect(secureCookies({ NODE_ENV: "production" })).toBe(true);
    expect(secureCookies({ AUTH_URL: "http://127.0.0.1:3230", NODE_ENV: "production" })).toBe(false);
    expect(secureCookies({ NODE_ENV: "development" })).toBe(false);
  });
});
