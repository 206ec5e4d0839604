import { expect, test } from "@playwright/test";
import { devSignIn, uniqueName } from "./support/auth";

/**
 * Issue 12 findings 14–17 in a real browser against the production build: the pages work under their nonce CSP
 * (no violation, hydration and sign-in happen), every answer carries the security headers, the session cookie is
 * Secure, and callbackUrl cannot send anyone to another site.
 */
test("pages run under a nonce CSP with the security headers, and the session cookie is Secure", async ({ page, context }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) violations.push(message.text());
  });

  const response = await page.goto("/signin");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["strict-transport-security"]).toMatch(/max-age=/);

  await devSignIn(page, uniqueName("Csp"));
  await page.getByTestId("accept-tos").click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("user-menu-name")).toBeVisible();

  // The theme's inline script ran (it sets the class on <html>) — it carries the nonce.
  await expect(page.locator("html")).toHaveClass(/light|dark/);
  expect(violations).toEqual([]);

  const session = (await context.cookies()).find((cookie) => cookie.name.endsWith("authjs.session-token"));
  expect(session?.name).toBe("__Secure-authjs.session-token");
  expect(session?.secure).toBe(true);
  expect(session?.httpOnly).toBe(true);

  const api = await page.request.get("/api/trpc/users.me");
  expect(api.headers()["cache-control"]).toBe("no-store, no-transform"); // never stored; small, so not gzipped
  expect(api.headers()["x-frame-options"]).toBe("DENY");
});

test("callbackUrl never leads to another site", async ({ page }) => {
  await devSignIn(page, uniqueName("Redirect"));
  await page.getByTestId("accept-tos").click();
  for (const target of ["/%5Cevil.example/x", "//evil.example/x", "https://evil.example/x", "/%09/evil.example"]) {
    await page.goto(`/signin?callbackUrl=${target}`);
    await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/dashboard$/);
    await page.goto(`/tos?callbackUrl=${target}`);
    await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/dashboard$/);
  }
});

test("a cross-site request riding on the session cookie is refused", async ({ page }) => {
  await devSignIn(page, uniqueName("Csrf"));
  const refused = await page.request.post("/api/trpc/users.acceptTos", {
    headers: { origin: "https://evil.example", "content-type": "application/json" },
    data: {},
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()) as unknown).toMatchObject({ error: { appCode: "CROSS_SITE_REQUEST" } });
  // The same call from our own origin goes through.
  const origin = new URL(page.url()).origin;
  const accepted = await page.request.post("/api/trpc/users.acceptTos", { headers: { origin, "content-type": "application/json" }, data: {} });
  expect(accepted.status()).toBe(200);
});

test("small REST and tRPC answers go out uncompressed; large answers and pages are gzipped", async ({ page, request }) => {
  // Next strips a route handler's content-length, so its compression cannot see an answer's size: before, even a
  // 60-byte answer was gzipped (and came out larger).
  const gzip = { headers: { "accept-encoding": "gzip" } };
  for (const path of ["/api/v1/nowhere", "/api/v1/tasks/availability"]) {
    const small = await request.get(path, gzip);
    expect(small.status(), path).toBeGreaterThanOrEqual(400);
    expect(small.headers()["content-encoding"], path).toBeUndefined();
    expect(small.headers()["cache-control"], path).toContain("no-transform");
  }
  const large = await request.get("/api/v1/openapi.json", gzip);
  expect(large.ok()).toBe(true);
  expect(large.headers()["content-encoding"]).toBe("gzip");
  expect((await large.json()).openapi).toMatch(/^3\./);
  expect((await request.get("/signin", gzip)).headers()["content-encoding"]).toBe("gzip");

  // tRPC: told from the procedure's result before it is serialised.
  const ping = await request.get("/api/trpc/health.ping", gzip);
  expect(ping.ok()).toBe(true);
  expect(ping.headers()["content-encoding"]).toBeUndefined();
  expect(ping.headers()["cache-control"]).toBe("no-store, no-transform");
  await devSignIn(page, uniqueName("Compression"), "moderator");
  const settings = await page.request.get("/api/trpc/tasks.config", gzip); // the tree manager's settings, > 1 KB
  expect(settings.ok()).toBe(true);
  expect(settings.headers()["content-encoding"]).toBe("gzip");
  expect(settings.headers()["cache-control"]).toBe("no-store");
  expect(JSON.stringify(await settings.json()).length).toBeGreaterThan(1024);
});
