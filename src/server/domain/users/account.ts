import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { accounts, users } from "@/server/db/schema";
import { recordModerationEvent } from "@/server/domain/moderation/journal";
import { anonymiseUser } from "@/server/domain/moderation/users";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { AppError } from "@/server/errors";

/**
 * How a user signs in, for the account page: provider names only. Tokens, provider account ids and everything
 * else in the Auth.js `accounts` rows stay on the server.
 */
export const ZLinkedAccounts = z.object({
  /** `web` for Auth.js users, `dev` for the development sign-in, or an API client's own method (e.g. `discord`). */
  authMethod: z.string(),
  accounts: z.array(z.object({ provider: z.string(), type: z.string() })),
});
export type LinkedAccounts = z.infer<typeof ZLinkedAccounts>;

export async function listLinkedAccounts(db: DbOrTx, userId: string): Promise<LinkedAccounts> {
  const [user] = await db.select({ authMethod: users.authMethod }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new AppError("USER_NOT_FOUND", "This user does not exist.");
  const rows = await db
    .select({ provider: accounts.provider, type: accounts.type })
    .from(accounts)
    .where(eq(accounts.userId, userId))
    .orderBy(asc(accounts.provider));
  return { authMethod: user.authMethod, accounts: rows };
}

/**
 * A user deletes their own account (OA `DELETE /api/account/delete` → backend `DELETE /users/{id}`): the same
 * anonymisation a moderator applies, in one transaction. Their messages, labels and rankings stay in the trees
 * under "Deleted User"; the sign-in links go, so signing in again starts a fresh account. The row lock makes a
 * double submit harmless: the second call finds the account already deleted.
 */
export async function deleteOwnAccount(db: DbOrTx, userId: string, deps: TreeDeps): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.select({ deleted: users.deleted }).from(users).where(eq(users.id, userId)).for("update");
    if (!user || user.deleted) throw new AppError("USER_NOT_FOUND", "This account does not exist or was already deleted.");
    await anonymiseUser(tx, userId, deps);
    // The same audit event as a moderator's delete, with the user as the actor.
    await recordModerationEvent(tx, userId, "moderation_delete_user", { payload: { userId, selfService: true } });
  });
}
