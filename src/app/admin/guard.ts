import "server-only";
import { forbidden, redirect } from "next/navigation";
import { getCurrentUser } from "@/server/auth/guards";
import type { UserRow } from "@/server/domain/users/dto";
import { consoleAccess, signInPathFor } from "./access";

/**
 * Every /admin page renders through this: anonymous visitors go to sign-in, signed-in people without access get the
 * 403 page (`forbidden()`). The HTTP status (307 / 403) is set before rendering by the request proxy (src/proxy.ts),
 * because the root loading boundary streams the page; the procedures behind the pages check the role again.
 */
export async function requireConsoleUser(pathname = "/admin"): Promise<UserRow> {
  const user = await getCurrentUser();
  const access = consoleAccess(user, pathname);
  if (access === "anonymous" || !user) redirect(signInPathFor(pathname));
  if (access === "forbidden") forbidden();
  return user;
}
