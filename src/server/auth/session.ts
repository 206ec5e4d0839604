import { decode } from "next-auth/jwt";
import { env } from "@/env";
import { secureCookies } from "./config";

const BASE_COOKIE = "authjs.session-token";

/** The session cookie's name: Auth.js prefixes it with `__Secure-` when the cookies are Secure. */
export function sessionCookieName(secure: boolean = secureCookies()): string {
  return secure ? `__Secure-${BASE_COOKIE}` : BASE_COOKIE;
}

/** The cookie's value, joined from Auth.js' chunks (`name.0`, `name.1`, …) when it was too large for one. */
function readCookie(cookieHeader: string, name: string): string | null {
  const chunks = new Map<number, string>();
  let whole: string | null = null;
  for (const part of cookieHeader.split(";")) {
    const separator = part.indexOf("=");
    if (separator < 0) continue;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === name) whole = value;
    else if (key.startsWith(`${name}.`)) {
      const index = Number(key.slice(name.length + 1));
      if (Number.isInteger(index) && index >= 0) chunks.set(index, value);
    }
  }
  if (whole !== null) return whole;
  if (chunks.size === 0) return null;
  return [...chunks.entries()].sort(([a], [b]) => a - b).map(([, value]) => value).join("");
}

/**
 * The signed-in user's id from the request's session cookie: the same JWT check Auth.js' session endpoint makes
 * (decrypt with AUTH_SECRET, expiry, the `sub` our jwt callback sets), without running the whole Auth.js request
 * cycle — `auth()` also re-encrypts a refreshed cookie on every call and then drops it, which made the session
 * alone cost many times a database round trip. Anything unreadable, expired or forged means "signed out".
 */
export async function readSessionUserId(headers: Headers, opts: { secret?: string; secure?: boolean } = {}): Promise<string | null> {
  const cookieHeader = headers.get("cookie");
  if (!cookieHeader) return null;
  const name = sessionCookieName(opts.secure);
  const token = readCookie(cookieHeader, name);
  if (!token) return null;
  try {
    const payload = await decode({ token, secret: opts.secret ?? env.AUTH_SECRET, salt: name });
    return typeof payload?.sub === "string" && payload.sub ? payload.sub : null;
  } catch {
    return null;
  }
}
