import { headers } from "next/headers";
import NextAuth, { type NextAuthConfig } from "next-auth";
import { buildAuthConfig } from "./config";
import { readSessionUserId } from "./session";

let config: NextAuthConfig | undefined;

/**
 * The Auth.js configuration (providers, the database adapter, callbacks), built once per process on first use —
 * not at import, so `next build` needs no runtime environment (env is read lazily), and not per request.
 */
export function authConfig(): NextAuthConfig {
  return (config ??= buildAuthConfig());
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig());

/**
 * The signed-in user's id, or null, from the session cookie of this request (or of `requestHeaders`). The user row
 * itself is always re-read (see `authedProcedure`). Measured in bench/auth-floor.ts.
 */
export async function getSessionUserId(requestHeaders?: Headers): Promise<string | null> {
  return readSessionUserId(requestHeaders ?? (await headers()));
}
