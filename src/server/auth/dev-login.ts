import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { USER_ROLES, users } from "@/server/db/schema";
import type { UserRow } from "@/server/domain/users/dto";
import { upsertIdentityUser } from "@/server/domain/users/queries";

export const ZDevLogin = z.object({
  name: z.string().trim().min(1, "Pick a user name.").max(64, "User names are at most 64 characters."),
  role: z.enum(USER_ROLES).default("general"),
});
export type DevLogin = z.infer<typeof ZDevLogin>;

/**
 * Development sign-in: the same name always means the same user, and the chosen role is applied on each sign-in
 * so a developer can switch between contributor, moderator and admin views. Only reachable with AUTH_DEV_LOGIN.
 */
export async function signInDevUser(db: DbOrTx, input: DevLogin): Promise<UserRow> {
  const user = await upsertIdentityUser(db, {
    apiClientId: null,
    authMethod: "dev",
    username: input.name,
    displayName: input.name,
    role: input.role,
  });
  if (user.role === input.role) return user;
  const [updated] = await db.update(users).set({ role: input.role }).where(eq(users.id, user.id)).returning();
  return updated!;
}
