import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import Discord from "next-auth/providers/discord";
import Google from "next-auth/providers/google";
import Nodemailer from "next-auth/providers/nodemailer";
import { env } from "@/env";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { db } from "@/server/db";
import { accounts, sessions, users, verificationTokens } from "@/server/db/schema";
import { isActiveUser } from "@/server/domain/users/access";
import { findUserById } from "@/server/domain/users/queries";
import { applyRoleBootstrap } from "@/server/domain/users/roles-bootstrap";
import { signInDevUser, ZDevLogin } from "./dev-login";
import { sendMagicLink } from "./magic-link";

export type SignInProvider = { id: string; name: string; kind: "oauth" | "email" | "dev" };

/** Which ways to sign in this server offers (the sign-in page lists exactly these). */
export function configuredProviders(): SignInProvider[] {
  const providers: SignInProvider[] = [];
  if (env.AUTH_DISCORD_ID) providers.push({ id: "discord", name: "Discord", kind: "oauth" });
  if (env.AUTH_GOOGLE_ID) providers.push({ id: "google", name: "Google", kind: "oauth" });
  if (emailSignInEnabled()) providers.push({ id: "nodemailer", name: "Email", kind: "email" });
  if (env.AUTH_DEV_LOGIN) providers.push({ id: "dev", name: "Development", kind: "dev" });
  return providers;
}

/** With SMTP configured links are mailed; without it (development only) they are printed to the server log. */
function emailSignInEnabled(): boolean {
  return Boolean(env.EMAIL_SERVER) || env.NODE_ENV !== "production" || env.AUTH_DEV_LOGIN;
}

/**
 * `Secure` (and `__Secure-`/`__Host-` prefixed) cookies whenever the site is served over HTTPS: `AUTH_URL` says so,
 * or, without it, in production — a TLS-terminating proxy forwards plain HTTP, so the request alone cannot tell.
 * Run a production build over plain HTTP only with an explicit `AUTH_URL=http://…`.
 */
export function secureCookies(source: { AUTH_URL?: string; NODE_ENV: string } = env): boolean {
  if (source.AUTH_URL) return new URL(source.AUTH_URL).protocol === "https:";
  return source.NODE_ENV === "production";
}

function safeRedirectUrl(pathOrUrl: string, baseUrl: string): string {
  return `${baseUrl}${safeRedirectPath(pathOrUrl, "/dashboard")}`;
}

export function buildAuthConfig(): NextAuthConfig {
  const providers: NextAuthConfig["providers"] = [];
  if (env.AUTH_DISCORD_ID) providers.push(Discord({ clientId: env.AUTH_DISCORD_ID, clientSecret: env.AUTH_DISCORD_SECRET }));
  if (env.AUTH_GOOGLE_ID) providers.push(Google({ clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET }));
  if (emailSignInEnabled()) {
    const smtp = { server: env.EMAIL_SERVER, from: env.EMAIL_FROM };
    providers.push(
      Nodemailer({
        server: env.EMAIL_SERVER ?? { jsonTransport: true },
        from: env.EMAIL_FROM,
        sendVerificationRequest: (params) => sendMagicLink(params, smtp),
      }),
    );
  }
  if (env.AUTH_DEV_LOGIN) {
    providers.push(
      Credentials({
        id: "dev",
        name: "Development",
        credentials: { name: { label: "User name" }, role: { label: "Role" } },
        async authorize(credentials) {
          const parsed = ZDevLogin.safeParse(credentials);
          if (!parsed.success) return null;
          const user = await signInDevUser(db, parsed.data);
          // A banned or disabled account comes back unchanged; the signIn callback below refuses it.
          return { id: user.id, name: user.name, email: user.email };
        },
      }),
    );
  }

  return {
    adapter: DrizzleAdapter(db, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    providers,
    secret: env.AUTH_SECRET,
    trustHost: true,
    useSecureCookies: secureCookies(),
    // JWT sessions: OAuth and email users and accounts still live in the database, and every request re-reads
    // the user row (role, ban, ToS), so a ban takes effect immediately without session revocation.
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin", verifyRequest: "/signin/check-email", error: "/signin" },
    events: { signIn: async ({ user }) => void (await applyRoleBootstrap(db, user.id)) },
    callbacks: {
      // After sign-in, only this site: a same-origin URL or a safe path (the same rule as the pages' callbackUrl).
      redirect({ url, baseUrl }) {
        if (url.startsWith(`${baseUrl}/`) || url === baseUrl) return safeRedirectUrl(url.slice(baseUrl.length) || "/", baseUrl);
        return safeRedirectUrl(url, baseUrl);
      },
      async signIn({ user }) {
        if (!user.id) return true; // a first OAuth/email sign-in: the row does not exist yet
        const row = await findUserById(db, user.id).catch(() => null);
        return row ? isActiveUser(row) : true;
      },
      jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}
