import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { USER_ROLES, users } from "@/server/db/schema";
import type { UserRow } from "@/server/domain/users/dto";
import { isActiveUser } from "@/server/domain/users/access";
import { upsertIdentityUser } from "@/server/domain/users/queries";

/**
 * Roles a developer may pick; "keep" (the default) leaves an existing user's role as it is. "banned" bans the
 * account (to try the banned experience); the sign-in is then refused, as every later one.
 */
export const DEV_LOGIN_ROLES = ["keep", ...USER_ROLES] as const;
export type DevLoginRole = (typeof DEV_LOGIN_ROLES)[number];

export const ZDevLogin = z.object({
  name: z.string().trim().min(1, "Pick a user name.").max(64, "User names are at most 64 characters."),
  role: z.enum(DEV_LOGIN_ROLES).default("keep"),
});
export type DevLogin = z.input<typeof ZDevLogin>;

/**
 * Development sign-in: the same name always means the same user. A new user starts as a contributor (or the chosen
 * role); an existing one keeps their role unless a role is chosen explicitly, so signing in as the demo moderator
 * with the form's defaults never demotes him. A banned, disabled or deleted account is returned unchanged (the
 * sign-in callback then refuses it with "access denied") — signing in again cannot lift a ban. Only reachable with
 * AUTH_DEV_LOGIN.
 */
export async function signInDevUser(db: DbOrTx, input: DevLogin): Promise<UserRow> {
  const { name, role } = ZDevLogin.parse(input);
  const user = await upsertIdentityUser(db, {
    apiClientId: null,
    authMethod: "dev",
    username: name,
    displayName: name,
    role: role === "keep" ? "general" : role,
  });
  if (!isActiveUser(user) || role === "keep" || user.role === role) return user;
  const [updated] = await db.update(users).set({ role }).where(eq(users.id, user.id)).returning();
  return updated!;
}
