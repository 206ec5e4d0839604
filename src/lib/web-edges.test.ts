import { describe, expect, it } from "vitest";
import { describeErrorForLog } from "./redact-error";
import { safeRedirectPath } from "./safe-redirect";
import { checkSameOrigin, pageContentSecurityPolicy, staticSecurityHeaders } from "./web-security";

describe("safeRedirectPath (issue 12 finding 16)", () => {
  it.each([
    "/\\evil.example/x", // what /signin?callbackUrl=/%5Cevil.example/x decodes to
    "//evil.example",
    "https://evil.example/x",
    "/\t/evil.example",
    "/\n/evil.example",
    "/.//evil.example",
    "/a/../..//evil.example",
    "javascript:alert(1)",
    " /dashboard",
    "",
  ])("refuses %j", (value) => {
    expect(safeRedirectPath(value)).toBe("/dashboard");
    expect(safeRedirectPath(value, "/")).toBe("/");
  });

  it.each([
    ["/tasks/label_reply?x=1#top", "/tasks/label_reply?x=1#top"],
    ["/messages/abc", "/messages/abc"],
    ["/%5Cstays-a-path", "/%5Cstays-a-path"],
    ["/a/./b/../c", "/a/c"],
  ])("keeps the same-site path %j", (value, expected) => {
    expect(safeRedirectPath(value)).toBe(expected);
  });

  it("takes the first of repeated parameters and ignores non-strings", () => {
    expect(safeRedirectPath(["/chat", "//evil"])).toBe("/chat");
    expect(safeRedirectPath(undefined)).toBe("/dashboard");
    expect(safeRedirectPath(42)).toBe("/dashboard");
  });
});

describe("security headers (finding 14)", () => {
  it("always forbid framing and sniffing and limit referrers and features; HSTS only in production", () => {
    const dev = staticSecurityHeaders({ production: false });
    expect(dev).toMatchObject({ "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin" });
    expect(dev["Permissions-Policy"]).toContain("camera=()");
    expect(dev["Strict-Transport-Security"]).toBeUndefined();
    expect(staticSecurityHeaders({ production: true })["Strict-Transport-Security"]).toMatch(/max-age=\d{7,}/);
  });

  it("the page CSP admits only this response's nonced scripts and no framing; eval only in development", () => {
    const production = pageContentSecurityPolicy("abc123", { production: true });
    expect(production).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(production).toContain("frame-ancestors 'none'");
    expect(production).toContain("object-src 'none'");
    expect(production).not.toContain("unsafe-eval");
    expect(production).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(pageContentSecurityPolicy("abc123", { production: false })).toContain("'unsafe-eval'");
  });
});

describe("same-origin check (finding 15)", () => {
  const ours = ["http://localhost:3000"];
  const request = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers) });

  it("refuses a cross-site state-changing call that carries cookies", () => {
    expect(checkSameOrigin(request("POST", { cookie: "authjs.session-token=x", origin: "https://evil.example" }), ours).allowed).toBe(false);
    expect(checkSameOrigin(request("POST", { cookie: "a=b", "sec-fetch-site": "cross-site" }), ours).allowed).toBe(false);
    expect(checkSameOrigin(request("POST", { cookie: "a=b", "sec-fetch-site": "same-site", origin: "http://sub.localhost:3000" }), ours).allowed).toBe(false);
    expect(checkSameOrigin(request("DELETE", { cookie: "a=b", origin: "null" }), ours).allowed).toBe(false);
  });

  it("lets same-origin calls, reads and cookie-less API clients through", () => {
    expect(checkSameOrigin(request("POST", { cookie: "a=b", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" }), ours).allowed).toBe(true);
    expect(checkSameOrigin(request("POST", { cookie: "a=b", "sec-fetch-site": "none" }), ours).allowed).toBe(true);
    expect(checkSameOrigin(request("GET", { cookie: "a=b", origin: "https://evil.example" }), ours).allowed).toBe(true);
    expect(checkSameOrigin(request("POST", { "x-api-key": "k", origin: "https://evil.example" }), ours).allowed).toBe(true);
    expect(checkSameOrigin(request("POST", { cookie: "a=b", origin: "https://oa.example" }), [...ours, "https://oa.example"]).allowed).toBe(true);
  });
});

describe("error log lines (finding 18)", () => {
  it("keep the statement and the SQLSTATE but never the parameters", () => {
    const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: "22021", parameters: ["secret text"], detail: "Key (email)=(a@b.c)" });
    const error = Object.assign(new Error('Failed query: insert into "messages" ("text") values ($1)\nparams: secret text,deadbeefhash'), {
      name: "DrizzleQueryError",
      cause,
    });
    const line = describeErrorForLog(error);
    expect(line).toContain('Failed query: insert into "messages"');
    expect(line).toContain("code=22021");
    expect(line).not.toContain("secret text");
    expect(line).not.toContain("deadbeefhash");
    expect(line).not.toContain("a@b.c");
  });
});
