import "server-only";
import { forbidden, redirect } from "next/navigation";
import { getCurrentUser } from "@/server/auth/guards";
import { isActiveUser, isModerator } from "@/server/domain/users/access";
import type { UserRow } from "@/server/domain/users/dto";

/**
 * Every /admin page: anonymous visitors are sent to sign-in (307), signed-in people who are not active moderators or
 * admins get the 403 page (`forbidden()`, a real HTTP 403). The procedures behind the pages check again on the server.
 */
export async function requireConsoleUser(options: { adminOnly?: boolean } = {}): Promise<UserRow> {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=%2Fadmin");
  if (!isActiveUser(user) || !isModerator(user)) forbidden();
  if (options.adminOnly && user.role !== "admin") forbidden();
  return user;
}
