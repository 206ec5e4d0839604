import { z } from "zod";
import type { ApiClientRow } from "@/server/domain/api-clients/keys";
import { assertUserActive } from "@/server/domain/users/access";
import type { UserRow } from "@/server/domain/users/dto";
import { upsertIdentityUser } from "@/server/domain/users/queries";
import type { Database } from "@/server/db/client";
import { AppError } from "@/server/errors";

/** The original's `User` object: the client's own id for one of its users (a Discord id, a username…). */
export const ZOaUser = z
  .object({
    id: z.string().trim().min(1).max(128).meta({ description: "The client's id of this user (e.g. a Discord user id).", example: "__test_user__" }),
    display_name: z.string().trim().min(1).max(256).meta({ example: "Test User" }),
    auth_method: z.string().trim().min(1).max(32).meta({ description: "discord, google, local, system or your own method", example: "local" }),
  })
  .meta({ id: "User" });
export type OaUser = z.infer<typeof ZOaUser>;

/**
 * The user an API client acts for, created on first sight (one row per client, auth method and id, as the
 * tRPC `x-oasst-user` header does). Banned, disabled and deleted users are refused (4001).
 */
export async function actingUser(db: Database, client: ApiClientRow, user: OaUser): Promise<UserRow> {
  const row = await upsertIdentityUser(db, { apiClientId: client.id, authMethod: user.auth_method, username: user.id, displayName: user.display_name });
  assertUserActive(row);
  return row;
}

/** `x-oasst-user: <auth_method>:<id>` on GET endpoints that show per-user fields (user_emojis, user_is_author). */
export async function headerUser(db: Database, client: ApiClientRow, headers: Headers): Promise<UserRow | null> {
  const header = headers.get("x-oasst-user");
  if (!header) return null;
  const separator = header.indexOf(":");
  if (separator <= 0 || separator === header.length - 1) {
    throw new AppError("INVALID_INPUT", "The x-oasst-user header must look like <auth_method>:<id>.");
  }
  const authMethod = header.slice(0, separator).trim();
  const id = header.slice(separator + 1).trim();
  return actingUser(db, client, ZOaUser.parse({ id, auth_method: authMethod, display_name: headers.get("x-oasst-user-name") ?? id }));
}

/**
 * Inference API calls act for `x-oasst-user` when given, else for the API client's own user (`system:api-client`),
 * which is what the product's example does: it sends only the key.
 */
export async function chatUser(db: Database, client: ApiClientRow, headers: Headers): Promise<UserRow> {
  return (await headerUser(db, client, headers)) ?? actingUser(db, client, { id: "api-client", auth_method: "system", display_name: client.description });
}
