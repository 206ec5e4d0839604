import NextAuth, { type NextAuthConfig } from "next-auth";
import { buildAuthConfig } from "./config";

let config: NextAuthConfig | undefined;

/**
 * The Auth.js configuration (providers, the database adapter, callbacks), built once per process on first use —
 * not at import, so `next build` needs no runtime environment (env is read lazily), and not per request.
 */
export function authConfig(): NextAuthConfig {
  return (config ??= buildAuthConfig());
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig());

/** The signed-in user's id, or null. The user row itself is always re-read (see `authedProcedure`). */
export async function getSessionUserId(): Promise<string | null> {
  const session = await auth();
  return session?.user?.id ?? null;
}
