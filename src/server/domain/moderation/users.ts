import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/server/db/client";
import { accounts, messageTreeStates, sessions, USER_ROLES, users, type UserRole } from "@/server/db/schema";
import { publicAuthorName } from "@/server/domain/messages/dto";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { enterTreeState } from "@/server/domain/trees/transitions";
import type { UserRow } from "@/server/domain/users/dto";
import { getUserByIdOrThrow } from "@/server/domain/users/queries";
import { AppError } from "@/server/errors";
import { markModeratorAction, recordModerationEvent } from "./journal";

/** What moderators see of a user: moderation fields, never the email address. */
export const ZModeratedUser = z.object({
  id: z.uuid(),
  displayName: z.string(),
  role: z.enum(USER_ROLES),
  enabled: z.boolean(),
  deleted: z.boolean(),
  notes: z.string(),
  showOnLeaderboard: z.boolean(),
  authMethod: z.string(),
  createdAt: z.date(),
  lastActivityDate: z.date(),
  tosAcceptedAt: z.date().nullable(),
});
export type ModeratedUser = z.infer<typeof ZModeratedUser>;

export const toModeratedUser = (user: UserRow): ModeratedUser => ({
  id: user.id,
  displayName: publicAuthorName(user.id, user.name, user.deleted)!,
  role: user.role,
  enabled: user.enabled,
  deleted: user.deleted,
  notes: user.notes,
  showOnLeaderboard: user.showOnLeaderboard,
  authMethod: user.authMethod,
  createdAt: user.createdAt,
  lastActivityDate: user.lastActivityDate,
  tosAcceptedAt: user.tosAcceptanceDate,
});

/** The acting moderator; trusted API clients act with moderator rights. */
export type Actor = { userId: string; isAdmin: boolean };

const PRIVILEGED: readonly UserRole[] = ["moderator", "admin"];

/**
 * Moderators manage contributors; only admins grant or change moderator and admin roles (website §5.8). Nobody
 * changes their own role or access or deletes themselves here, so an admin cannot lock the last admin out by accident.
 * An admin who takes another admin's role or access away does it under a lock on every admin row: two admins
 * demoting each other at once queue there, and the second finds they are no longer an admin.
 */
function assertMayManage(actor: Actor, admins: string[] | null, target: UserRow, change: { role?: UserRole; access: boolean; revokes?: boolean }): void {
  if (change.access && actor.userId === target.id) throw new AppError("FORBIDDEN", "You cannot change your own role or access.");
  if (!actor.isAdmin) {
    if (PRIVILEGED.includes(target.role)) throw new AppError("FORBIDDEN", "Only administrators can manage moderators and administrators.");
    if (change.role && PRIVILEGED.includes(change.role)) throw new AppError("FORBIDDEN", "Only administrators can grant the moderator or admin role.");
    return;
  }
  if (target.role === "admin" && change.revokes && !admins?.includes(actor.userId)) {
    throw new AppError("FORBIDDEN", "You are no longer an administrator.");
  }
}

/**
 * An acting admin locks every admin row first, in id order, before the target's row: admins acting on each other
 * then queue here instead of deadlocking, and the later one sees the earlier one's change.
 */
async function lockAdmins(tx: DbOrTx, actor: Actor): Promise<string[] | null> {
  if (!actor.isAdmin) return null;
  const admins = await tx.select({ id: users.id }).from(users)
    .where(and(eq(users.role, "admin"), eq(users.enabled, true), eq(users.deleted, false)))
    .orderBy(users.id)
    .for("update");
  return admins.map((admin) => admin.id);
}

/** A disabled, banned or deleted author's prompts leave the lottery (OA `halt_prompts_of_disabled_users`). */
async function haltWaitingPromptsOf(tx: DbOrTx, userId: string, deps: TreeDeps): Promise<void> {
  const waiting = await tx
    .select()
    .from(messageTreeStates)
    .where(and(
      eq(messageTreeStates.state, "prompt_lottery_waiting"),
      sql`${messageTreeStates.messageTreeId} in (select id from messages where user_id = ${userId} and parent_id is null)`,
    ))
    .for("update");
  for (const tree of waiting) await enterTreeState(tx, tree, "halted_by_moderator", deps);
}

export async function getModeratedUser(db: DbOrTx, userId: string): Promise<ModeratedUser> {
  return toModeratedUser(await getUserByIdOrThrow(db, userId));
}

export type UserChanges = { enabled?: boolean; role?: UserRole; notes?: string; showOnLeaderboard?: boolean };

/**
 * Optimistic concurrency without a version column: the caller says what it saw of the fields it changes, and a
 * difference means another moderator changed them meanwhile — a CONFLICT, never a silent overwrite.
 */
function assertUnchanged(target: UserRow, changes: UserChanges, expected: Partial<UserChanges> | undefined): void {
  if (!expected) return;
  for (const key of Object.keys(changes) as (keyof UserChanges)[]) {
    if (key in expected && expected[key] !== target[key]) {
      throw new AppError("CONFLICT", `Another moderator changed this user's ${key} meanwhile; reload the page to see it.`);
    }
  }
}

export async function updateUserAsModerator(
  db: DbOrTx,
  actor: Actor,
  userId: string,
  changes: UserChanges,
  deps: TreeDeps,
  expected?: Partial<UserChanges>,
  /** The message the action was taken from (a queue item's): journaled with it, so the item shows the ban. */
  fromMessageId?: string,
): Promise<ModeratedUser> {
  return db.transaction(async (tx) => {
    await markModeratorAction(tx);
    const admins = await lockAdmins(tx, actor);
    const [target] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!target) throw new AppError("USER_NOT_FOUND", "This user does not exist.");
    const revokes = (changes.role !== undefined && changes.role !== "admin") || changes.enabled === false;
    assertMayManage(actor, admins, target, { role: changes.role, access: changes.role !== undefined || changes.enabled !== undefined, revokes });
    assertUnchanged(target, changes, expected);
    const [updated] = await tx.update(users).set(changes).where(eq(users.id, userId)).returning();
    if (!updated!.enabled || updated!.role === "banned") await haltWaitingPromptsOf(tx, userId, deps);
    const before = Object.fromEntries(Object.keys(changes).map((key) => [key, target[key as keyof UserChanges]]));
    await recordModerationEvent(tx, actor.userId, "moderation_update_user", { messageId: fromMessageId ?? null, payload: { userId, ...changes, before, after: changes } });
    return toModeratedUser(updated!);
  });
}

/**
 * Anonymises an account (spec §4.1): the content stays, the identity goes. Sign-in links to it are removed, so the
 * same login later starts a fresh account. Runs inside the caller's transaction (a moderator's delete, or a user
 * deleting their own account).
 */
export async function anonymiseUser(tx: DbOrTx, userId: string, deps: TreeDeps): Promise<UserRow> {
  const [updated] = await tx
    .update(users)
    .set({ deleted: true, name: "Deleted User", username: `deleted_${userId}`, email: null, image: null, showOnLeaderboard: false })
    .where(eq(users.id, userId))
    .returning();
  if (!updated) throw new AppError("USER_NOT_FOUND", "This user does not exist.");
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await tx.delete(accounts).where(eq(accounts.userId, userId));
  await haltWaitingPromptsOf(tx, userId, deps);
  return updated;
}

export async function deleteUserAsModerator(db: DbOrTx, actor: Actor, userId: string, deps: TreeDeps): Promise<ModeratedUser> {
  return db.transaction(async (tx) => {
    await markModeratorAction(tx);
    const admins = await lockAdmins(tx, actor);
    const [target] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!target) throw new AppError("USER_NOT_FOUND", "This user does not exist.");
    assertMayManage(actor, admins, target, { access: true, revokes: true });
    const updated = await anonymiseUser(tx, userId, deps);
    await recordModerationEvent(tx, actor.userId, "moderation_delete_user", { payload: { userId } });
    return toModeratedUser(updated);
  });
}
