import { NextResponse } from "next/server";
import { consoleAccess, signInPathFor } from "@/app/admin/access";
import { auth } from "@/server/auth";
import { getDatabase } from "@/server/db";
import { findUserById } from "@/server/domain/users/queries";

/**
 * The moderator console's HTTP status, decided before the page streams: 307 to sign-in for anonymous visitors,
 * 403 for signed-in people without access (the console layout renders the styled 403 page for the same rule).
 */
export default auth(async (request) => {
  const userId = request.auth?.user?.id;
  const user = userId ? await findUserById(getDatabase(), userId) : null;
  const access = consoleAccess(user, request.nextUrl.pathname);
  if (access === "anonymous") return NextResponse.redirect(new URL(signInPathFor(request.nextUrl.pathname), request.nextUrl), 307);
  if (access === "forbidden") return NextResponse.next({ status: 403 });
  return NextResponse.next();
});

export const config = { matcher: ["/admin", "/admin/:path*"] };
