/**
 * The web-security rules of the request layer (`src/proxy.ts` applies them; `next.config.ts` adds the static
 * headers to every response, static files included). Pure functions, so the rules are tested without a server.
 */

export type SecurityMode = { production: boolean };

/**
 * Headers for every response. HSTS only in production (browsers ignore it over plain HTTP anyway, and a
 * development machine must not pin localhost to HTTPS).
 */
export function staticSecurityHeaders({ production }: SecurityMode): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    // Belt and braces with CSP frame-ancestors for browsers that only know the old header.
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (production) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}

/**
 * The page CSP: scripts only from this origin with this response's nonce (Next.js puts the nonce it finds in the
 * request's CSP on its own scripts; `'strict-dynamic'` lets those load their chunks). Inline style attributes are
 * allowed (React's `style` props and the UI library use them; styles cannot run code). Development adds what
 * React's dev tooling and hot reload need (`eval`, the HMR websocket).
 */
export function pageContentSecurityPolicy(nonce: string, { production }: SecurityMode): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${production ? "" : " 'unsafe-eval'"}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${production ? "" : " ws: wss:"}`,
    "media-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}

/** API answers are data, never documents: nothing may load or frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A fresh, unguessable nonce per response. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type SameOriginVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Cross-site request forgery guard for state-changing calls. A request is refused when it carries the browser's
 * ambient credentials (cookies) and the browser says it comes from another site: `Sec-Fetch-Site` other than
 * `same-origin`/`none`, or else an `Origin` that is not ours. Requests without cookies (API clients with an
 * `x-api-key`, the Inngest server, scripts) cannot ride on a user's session and are not checked.
 * `allowedOrigins`: this server's origin as the request sees it, plus `AUTH_URL`'s behind a proxy.
 */
export function checkSameOrigin(
  request: { method: string; headers: Headers },
  allowedOrigins: readonly string[],
): SameOriginVerdict {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { allowed: true };
  if (!request.headers.get("cookie")) return { allowed: true };
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    return { allowed: false, reason: `a ${site} request` };
  }
  const origin = request.headers.get("origin");
  if (origin && !allowedOrigins.includes(origin)) {
    return { allowed: false, reason: `origin ${origin}` };
  }
  return { allowed: true };
}
