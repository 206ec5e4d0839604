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

/** Decoded session cookies kept per process (see `readSessionUserId`): at most this many, each at most this long. */
const SESSION_CACHE_MAX = 10_000;
const SESSION_CACHE_MS = 60_000;
/** Auth.js' own tolerance for a cookie's `exp` (its `decode` allows 15 s of clock skew). */
const EXPIRY_TOLERANCE_MS = 15_000;
type DecodedSession = { secret: string; sub: string; validUntilMs: number };
const decodedSessions = new Map<string, DecodedSession>();

type SessionOptions = { secret?: string; secure?: boolean; decode?: typeof decode; now?: () => number };

/**
 * The signed-in user's id from the request's session cookie: the same JWT check Auth.js' session endpoint makes
 * (decrypt with AUTH_SECRET, expiry, the `sub` our jwt callback sets), without running the whole Auth.js request
 * cycle — `auth()` also re-encrypts a refreshed cookie on every call and then drops it, which made the session
 * alone cost many times a database round trip. Anything unreadable, expired or forged means "signed out".
 *
 * A cookie that decrypted is remembered for a minute (never past its own expiry, and only under the same secret):
 * deriving the key and decrypting cost about a tenth of an authed request's CPU, and a signed-in browser sends the
 * same cookie with every request. Only the user id is kept; the user row (bans, roles, terms) is read on every
 * request as before. Failures are never remembered, so forged cookies cannot fill the cache.
 */
export async function readSessionUserId(headers: Headers, opts: SessionOptions = {}): Promise<string | null> {
  const cookieHeader = headers.get("cookie");
  if (!cookieHeader) return null;
  const name = sessionCookieName(opts.secure);
  const token = readCookie(cookieHeader, name);
  if (!token) return null;
  const secret = opts.secret ?? env.AUTH_SECRET;
  const now = opts.now?.() ?? Date.now();
  const key = `${name}=${token}`;
  const cached = decodedSessions.get(key);
  if (cached && cached.secret === secret && cached.validUntilMs > now) return cached.sub;
  if (cached) decodedSessions.delete(key);
  try {
    const payload = await (opts.decode ?? decode)({ token, secret, salt: name });
    const sub = typeof payload?.sub === "string" && payload.sub ? payload.sub : null;
    if (sub && typeof payload?.exp === "number") {
      if (decodedSessions.size >= SESSION_CACHE_MAX) decodedSessions.delete(decodedSessions.keys().next().value!);
      decodedSessions.set(key, { secret, sub, validUntilMs: Math.min(now + SESSION_CACHE_MS, payload.exp * 1000 + EXPIRY_TOLERANCE_MS) });
    }
    return sub;
  } catch {
    return null;
  }
}
