import NextAuth from "next-auth";
import { buildAuthConfig } from "./config";

// The config is built per request so that `next build` needs no runtime environment (env is read lazily).
export const { handlers, auth, signIn, signOut } = NextAuth(() => buildAuthConfig());

/** The signed-in user's id, or null. The user row itself is always re-read (see `authedProcedure`). */
export async function getSessionUserId(): Promise<string | null> {
  const session = await auth();
  return session?.user?.id ?? null;
}
