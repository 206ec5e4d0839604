import { and, eq, sql } from "drizzle-orm";
import { builtOnce } from "@/server/db/built-once";
import type { DbOrTx } from "@/server/db/client";
import { users, type UserRole } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { UserRow } from "./dto";

/** The user row by id; every signed-in call reads it (the procedure layer's access checks), so its query is built once. */
export async function findUserById(db: DbOrTx, id: string): Promise<UserRow | null> {
  const query = builtOnce(db, "find_user_by_id", (handle, name) =>
    handle.select().from(users).where(eq(users.id, sql.placeholder("id"))).limit(1).prepare(name));
  const [user] = await query.execute({ id });
  return user ?? null;
}

export async function getUserByIdOrThrow(db: DbOrTx, id: string): Promise<UserRow> {
  const user = await findUserById(db, id);
  if (!user) throw new AppError("USER_NOT_FOUND", "This user does not exist.");
  return user;
}

export async function acceptTermsOfService(db: DbOrTx, userId: string): Promise<UserRow> {
  // Keep the first acceptance date: accepting twice is harmless.
  const [user] = await db
    .update(users)
    .set({ tosAcceptanceDate: sql`coalesce(${users.tosAcceptanceDate}, now())` })
    .where(eq(users.id, userId))
    .returning();
  if (!user) throw new AppError("USER_NOT_FOUND", "This user does not exist.");
  return user;
}

export type ProfileChanges = { displayName?: string; showOnLeaderboard?: boolean };

export async function updateProfile(db: DbOrTx, userId: string, changes: ProfileChanges): Promise<UserRow> {
  const [user] = await db
    .update(users)
    .set({
      ...(changes.displayName !== undefined && { name: changes.displayName }),
      ...(changes.showOnLeaderboard !== undefined && { showOnLeaderboard: changes.showOnLeaderboard }),
    })
    .where(eq(users.id, userId))
    .returning();
  if (!user) throw new AppError("USER_NOT_FOUND", "This user does not exist.");
  return user;
}

/**
 * Finds or creates the user an identity stands for, atomically (a unique index backs the identity, so two
 * first sign-ins at once still yield one row). Used by the development sign-in and by API clients that act
 * for their own users (`x-oasst-user`).
 */
export async function upsertIdentityUser(
  db: DbOrTx,
  identity: { apiClientId: string | null; authMethod: string; username: string; displayName: string; role?: UserRole },
): Promise<UserRow> {
  const now = new Date();
  await db
    .insert(users)
    .values({
      apiClientId: identity.apiClientId,
      authMethod: identity.authMethod,
      username: identity.username,
      name: identity.displayName,
      role: identity.role ?? "general",
      // The client's own front end shows the terms; system users never see them.
      tosAcceptanceDate: identity.apiClientId ? now : null,
    })
    .onConflictDoNothing();
  const clientMatch = identity.apiClientId
    ? eq(users.apiClientId, identity.apiClientId)
    : sql`${users.apiClientId} is null`;
  const [user] = await db
    .select()
    .from(users)
    .where(and(clientMatch, eq(users.authMethod, identity.authMethod), eq(users.username, identity.username)))
    .limit(1);
  if (!user) throw new Error(`identity ${identity.authMethod}:${identity.username} vanished after upsert`);
  return user;
}
