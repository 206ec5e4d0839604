import { eq } from "drizzle-orm";
import { pickEnv } from "@/env";
import type { DbOrTx } from "@/server/db/client";
import { accounts, users, type UserRole } from "@/server/db/schema";

/**
 * Roles bootstrap (website spec §5.2): `ADMIN_USERS` and `MODERATOR_USERS` name people by `provider:account-id`
 * (e.g. `discord:81234`, `dev:Ada`; `credentials:` is the original's name for the development sign-in) or by email.
 * At sign-in a listed person is raised to the listed role. It only ever raises: nobody is demoted by the lists,
 * and a ban given in the console stands, so after the first sign-in roles are managed from the console.
 */
export type RoleLists = { admins: string; moderators: string };

type Identity = { emails: string[]; keys: string[] };

/** `provider:id` keys compare case-sensitively on the id (Discord/Google ids are opaque); emails case-insensitively. */
function parseList(list: string): { emails: Set<string>; keys: Set<string> } {
  const emails = new Set<string>();
  const keys = new Set<string>();
  for (const raw of list.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const separator = entry.indexOf(":");
    const provider = separator > 0 ? entry.slice(0, separator).trim().toLowerCase() : "";
    const rest = separator > 0 ? entry.slice(separator + 1).trim() : entry;
    if (!provider || provider === "email" || provider === "nodemailer") {
      if (rest.includes("@")) emails.add(rest.toLowerCase());
      continue;
    }
    keys.add(`${provider === "credentials" ? "dev" : provider}:${rest}`);
  }
  return { emails, keys };
}

function listed(list: string, identity: Identity): boolean {
  const parsed = parseList(list);
  return identity.emails.some((email) => parsed.emails.has(email)) || identity.keys.some((key) => parsed.keys.has(key));
}

/** The role a person should have after signing in, given their current role (pure; unit-tested). */
export function bootstrapRole(current: UserRole, identity: Identity, lists: RoleLists): UserRole {
  if (current === "banned" || current === "admin") return current;
  if (listed(lists.admins, identity)) return "admin";
  if (current === "general" && listed(lists.moderators, identity)) return "moderator";
  return current;
}

export function roleListsFromEnv(): RoleLists {
  const env = pickEnv(["ADMIN_USERS", "MODERATOR_USERS"]);
  return { admins: env.ADMIN_USERS, moderators: env.MODERATOR_USERS };
}

/** Applies the lists to a user who just signed in (Auth.js `events.signIn`); returns the resulting role. */
export async function applyRoleBootstrap(db: DbOrTx, userId: string | undefined, lists: RoleLists = roleListsFromEnv()): Promise<UserRole | null> {
  if (!userId || (!lists.admins.trim() && !lists.moderators.trim())) return null;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) return null;
  const linked = await db.select({ provider: accounts.provider, id: accounts.providerAccountId }).from(accounts).where(eq(accounts.userId, userId));
  const identity: Identity = {
    emails: user.email ? [user.email.toLowerCase()] : [],
    keys: [
      ...linked.map((account) => `${account.provider}:${account.id}`),
      ...(user.username ? [`${user.authMethod}:${user.username}`] : []),
    ],
  };
  const role = bootstrapRole(user.role, identity, lists);
  if (role !== user.role) await db.update(users).set({ role }).where(eq(users.id, userId));
  return role;
}
