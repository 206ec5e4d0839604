import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { getDatabase } from "@/server/db";
import { isActiveUser } from "@/server/domain/users/access";
import type { UserRow } from "@/server/domain/users/dto";
import { findUserById } from "@/server/domain/users/queries";
import { getSessionUserId } from ".";

/** The signed-in user's row for this request, or null when signed out. */
export const getCurrentUser = cache(async (): Promise<UserRow | null> => {
  const userId = await getSessionUserId();
  return userId ? findUserById(getDatabase(), userId) : null;
});

function withCallback(path: string, callbackPath: string) {
  return `${path}?callbackUrl=${encodeURIComponent(callbackPath)}`;
}

/** Pages for signed-in users: signed-out visitors go to sign-in, suspended ones to an explanation. */
export async function requireUser(callbackPath: string): Promise<UserRow> {
  const user = await getCurrentUser();
  if (!user) redirect(withCallback("/signin", callbackPath));
  if (!isActiveUser(user)) redirect("/suspended");
  return user;
}

/** Contributor pages additionally need the terms of service accepted. */
export async function requireContributor(callbackPath: string): Promise<UserRow> {
  const user = await requireUser(callbackPath);
  if (!user.tosAcceptanceDate) redirect(withCallback("/tos", callbackPath));
  return user;
}

/** Only same-site paths are followed after sign-in, never another origin (see `safeRedirectPath`). */
export function safeCallbackPath(value: string | string[] | undefined, fallback = "/dashboard"): string {
  return safeRedirectPath(value, fallback);
}
