import { AppError } from "@/server/errors";
import type { UserRow } from "./dto";

/** Banned, disabled and deleted accounts are refused everywhere (spec backend §4.1, error 4001). */
export function assertUserActive(user: UserRow): void {
  if (user.role === "banned") throw new AppError("USER_DISABLED", "This account has been banned.");
  if (!user.enabled) throw new AppError("USER_DISABLED", "This account has been disabled by a moderator.");
  if (user.deleted) throw new AppError("USER_DISABLED", "This account has been deleted.");
}

export function isActiveUser(user: UserRow): boolean {
  return user.role !== "banned" && user.enabled && !user.deleted;
}

export function isModerator(user: Pick<UserRow, "role">): boolean {
  return user.role === "moderator" || user.role === "admin";
}
