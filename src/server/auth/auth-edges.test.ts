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

describe("readSessionUserId (issue 15 item 4: the session without the whole Auth.js cycle)", () => {
  const secret = "s".repeat(40);
  async function cookieFor(sub: string, opts: { secure?: boolean; maxAge?: number; secret?: string } = {}) {
    const { encode } = await import("next-auth/jwt");
    const { sessionCookieName } = await import("./session");
    const name = sessionCookieName(opts.secure ?? false);
    return { name, value: await encode({ token: { sub }, secret: opts.secret ?? secret, salt: name, maxAge: opts.maxAge }) };
  }

  it("reads the user id of a valid session cookie, plain or __Secure-, whole or in Auth.js chunks", async () => {
    const { readSessionUserId } = await import("./session");
    const plain = await cookieFor("user-1");
    expect(await readSessionUserId(new Headers({ cookie: `other=1; ${plain.name}=${plain.value}` }), { secret, secure: false })).toBe("user-1");
    const secure = await cookieFor("user-2", { secure: true });
    expect(secure.name).toBe("__Secure-authjs.session-token");
    expect(await readSessionUserId(new Headers({ cookie: `${secure.name}=${secure.value}` }), { secret, secure: true })).toBe("user-2");
    const half = Math.floor(plain.value.length / 2);
    const chunked = `${plain.name}.1=${plain.value.slice(half)}; ${plain.name}.0=${plain.value.slice(0, half)}`;
    expect(await readSessionUserId(new Headers({ cookie: chunked }), { secret, secure: false })).toBe("user-1");
  });

  it("treats a missing, forged, foreign-secret, expired or wrongly named cookie as signed out", async () => {
    const { readSessionUserId } = await import("./session");
    const read = (cookie: string, secure = false) => readSessionUserId(new Headers(cookie ? { cookie } : {}), { secret, secure });
    const valid = await cookieFor("user-1");
    expect(await read("")).toBeNull();
    expect(await read(`${valid.name}=garbage`)).toBeNull();
    expect(await read(`${valid.name}=${valid.value.slice(0, -4)}AAAA`)).toBeNull();
    const foreign = await cookieFor("user-1", { secret: "x".repeat(40) });
    expect(await read(`${foreign.name}=${foreign.value}`)).toBeNull();
    const expired = await cookieFor("user-1", { maxAge: -60 });
    expect(await read(`${expired.name}=${expired.value}`)).toBeNull();
    // A plain cookie is not accepted where Secure cookies are expected (it could have been set over HTTP).
    expect(await read(`${valid.name}=${valid.value}`, true)).toBeNull();
  });

  it("decrypts a cookie once a minute at most, never past its expiry, and only under the secret it was read with", async () => {
    const { readSessionUserId } = await import("./session");
    const { decode } = await import("next-auth/jwt");
    let decodes = 0;
    const counting: typeof decode = (params) => (decodes++, decode(params));
    const start = Date.now();
    const cookie = await cookieFor(`cached-${start}`, { maxAge: 90 });
    const read = (at: number, key = secret) =>
      readSessionUserId(new Headers({ cookie: `${cookie.name}=${cookie.value}` }), { secret: key, secure: false, decode: counting, now: () => at });

    expect(await read(start)).toBe(`cached-${start}`);
    expect(await read(start + 30_000)).toBe(`cached-${start}`);
    expect(decodes).toBe(1);
    // Another secret (a rotated AUTH_SECRET) never sees what the old one decrypted.
    expect(await read(start + 30_000, "r".repeat(40))).toBeNull();
    expect(decodes).toBe(2);
    // After a minute the cookie is decrypted again (by Auth.js' clock, which still accepts it).
    expect(await read(start + 61_000)).toBe(`cached-${start}`);
    expect(decodes).toBe(3);
    // Past the cookie's own expiry (90 s, plus Auth.js' 15 s tolerance) the remembered id is not used.
    expect(await read(start + 106_000)).toBe(`cached-${start}`);
    expect(decodes).toBe(4);
    // A cookie that did not decrypt is not remembered.
    const forged = `${cookie.name}=${cookie.value.slice(0, -4)}AAAA`;
    for (let i = 0; i < 2; i++) await readSessionUserId(new Headers({ cookie: forged }), { secret, secure: false, decode: counting, now: () => start });
    expect(decodes).toBe(6);
  });
});
