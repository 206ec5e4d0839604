import { NextResponse, type NextRequest } from "next/server";
import { consoleAccess, signInPathFor } from "@/app/admin/access";
import {
  API_CONTENT_SECURITY_POLICY,
  checkSameOrigin,
  createNonce,
  pageContentSecurityPolicy,
} from "@/lib/web-security";
import { getDatabase } from "@/server/db";
import { readSessionUserId } from "@/server/auth/session";
import { findUserById } from "@/server/domain/users/queries";

/**
 * The request layer (Next 16's name for middleware):
 * - refuses cross-site state-changing calls that ride on a user's cookies;
 * - decides the moderator console's HTTP status before the page streams: 307 to sign-in for anonymous visitors, 403
 *   for signed-in people without access (the console layout renders the styled 403 page by the same rule,
 *   src/app/admin/access.ts);
 * - gives every page a fresh CSP nonce (Next.js reads it from the request's CSP header and puts it on its own scripts).
 * The static security headers come from `next.config.ts`, so static files get them too.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const production = process.env.NODE_ENV === "production";
  const { pathname } = request.nextUrl;

  const allowedOrigins = [request.nextUrl.origin];
  const publicUrl = process.env.AUTH_URL;
  if (publicUrl) {
    try {
      allowedOrigins.push(new URL(publicUrl).origin);
    } catch {
      // env validation reports a malformed AUTH_URL at start-up
    }
  }
  const verdict = checkSameOrigin(request, allowedOrigins);
  if (!verdict.allowed) {
    return NextResponse.json(
      {
        error: {
          appCode: "CROSS_SITE_REQUEST",
          message: "This request came from another site and was refused. Open Open Assistant itself and try again.",
        },
      },
      { status: 403, headers: { "Content-Security-Policy": API_CONTENT_SECURITY_POLICY, "Cache-Control": "no-store" } },
    );
  }

  if (pathname.startsWith("/api/")) {
    const response = NextResponse.next();
    response.headers.set("Content-Security-Policy", API_CONTENT_SECURITY_POLICY);
    return response;
  }

  let status: number | undefined;
  if (pathname === "/admin" || pathname.startsWith("/admin/")) {
    const userId = await readSessionUserId(request.headers);
    const user = userId ? await findUserById(getDatabase(), userId) : null;
    const access = consoleAccess(user, pathname);
    if (access === "anonymous") return NextResponse.redirect(new URL(signInPathFor(pathname), request.nextUrl), 307);
    if (access === "forbidden") status = 403;
  }

  const nonce = createNonce();
  const policy = pageContentSecurityPolicy(nonce, { production });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders }, ...(status ? { status } : {}) });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Everything but Next's static assets and the files of public/ (they carry no state and no scripts to nonce).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon|apple-icon|manifest.webmanifest|robots.txt).*)"],
};
