import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "./proxy";

/** The request layer itself (issue 12 findings 14, 15): what a browser gets back. */
describe("proxy", () => {
  it("refuses a cross-site tRPC mutation riding on the session cookie with a typed 403", async () => {
    const response = await proxy(
      new NextRequest("http://localhost:3000/api/trpc/users.deleteAccount", {
        method: "POST",
        headers: { cookie: "authjs.session-token=abc", origin: "https://evil.example", "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { appCode: "CROSS_SITE_REQUEST" } });
  });

  it("passes a same-origin mutation and marks API answers as undisplayable", async () => {
    const response = await proxy(
      new NextRequest("http://localhost:3000/api/trpc/chat.hideAll", {
        method: "POST",
        headers: { cookie: "authjs.session-token=abc", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("gives every page its own nonce, in the response CSP and in the request Next.js renders", async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const response = await proxy(new NextRequest("http://localhost:3000/account"));
      const policy = response.headers.get("content-security-policy")!;
      expect(policy).toContain("frame-ancestors 'none'");
      const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
      // NextResponse.next({ request: { headers } }) forwards overridden request headers this way.
      expect(response.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
      expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
    expect(nonces[0]!.length).toBeGreaterThanOrEqual(22);
  });
});
