import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { users } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { UserRow } from "./dto";

/** A user an API client created under (auth method, its own id), without creating one (spec §5 frontend_users). */
export async function findClientUser(db: DbOrTx, apiClientId: string, authMethod: string, username: string): Promise<UserRow> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.apiClientId, apiClientId), eq(users.authMethod, authMethod), eq(users.username, username)))
    .limit(1);
  if (!user) throw new AppError("USER_NOT_FOUND", `No user ${authMethod}:${username} exists for this API client.`);
  return user;
}
