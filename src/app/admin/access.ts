import { isActiveUser, isModerator } from "@/server/domain/users/access";
import type { UserRow } from "@/server/domain/users/dto";

/** Console pages only admins may open (moderators get the 403 page). */
const ADMIN_ONLY_PATHS = ["/admin/api-clients"];

export type ConsoleAccess = "anonymous" | "forbidden" | "allowed";

/**
 * Who may open a console page: signed-out visitors are sent to sign-in, signed-in people who are not active
 * moderators or admins (or moderators on an admin-only page) are refused. Used by the request proxy (which sets the
 * HTTP status: 307 or 403) and by the console layout (which renders the 403 page), so the two never disagree.
 */
export function consoleAccess(user: UserRow | null, pathname: string): ConsoleAccess {
  if (!user) return "anonymous";
  if (!isActiveUser(user) || !isModerator(user)) return "forbidden";
  const adminOnly = ADMIN_ONLY_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`));
  if (adminOnly && user.role !== "admin") return "forbidden";
  return "allowed";
}

export const signInPathFor = (pathname: string) => `/signin?callbackUrl=${encodeURIComponent(pathname)}`;
