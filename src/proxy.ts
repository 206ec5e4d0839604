import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { consoleAccess, signInPathFor } from "@/app/admin/access";
import { env } from "@/env";
import { getDatabase } from "@/server/db";
import { findUserById } from "@/server/domain/users/queries";

/** The session's user id from the Auth.js JWT cookie (`__Secure-` prefixed behind HTTPS, plain otherwise). */
async function sessionUserId(request: NextRequest): Promise<string | null> {
  for (const secureCookie of [true, false]) {
    const token = await getToken({ req: request, secret: env.AUTH_SECRET, secureCookie });
    if (token?.sub) return token.sub;
  }
  return null;
}

/**
 * The moderator console's HTTP status, decided before the page streams (the root loading boundary flushes a 200
 * shell before any layout could refuse): 307 to sign-in for anonymous visitors, 403 for signed-in people without
 * access — the console layout renders the styled 403 page by the same rule (src/app/admin/access.ts).
 */
export async function proxy(request: NextRequest) {
  const userId = await sessionUserId(request);
  const user = userId ? await findUserById(getDatabase(), userId) : null;
  const access = consoleAccess(user, request.nextUrl.pathname);
  if (access === "anonymous") return NextResponse.redirect(new URL(signInPathFor(request.nextUrl.pathname), request.nextUrl), 307);
  if (access === "forbidden") return NextResponse.next({ status: 403 });
  return NextResponse.next();
}

export const config = { matcher: ["/admin", "/admin/:path*"] };
