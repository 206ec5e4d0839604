import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
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

/** Users by id, one query (for pages of messages or board rows that show their authors). */
export async function findUsersByIds(db: DbOrTx, ids: readonly string[]): Promise<Map<string, UserRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(users).where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((row) => [row.id, row]));
}

export type UserSortKey = "username" | "display_name";

/** Keyset bounds on (sort key, id); a bound without an id is inclusive on the key alone (OA `gte_username` …). */
export type UserKeyset = { key: string; id: string | null };

export type UserListQuery = {
  /** Only this client's users; null = every user (trusted clients). */
  apiClientId: string | null;
  sortKey: UserSortKey;
  /** Rows after / before these bounds in ascending key order. */
  from?: UserKeyset | null;
  to?: UserKeyset | null;
  authMethod?: string;
  /** Substring of the sort key (OA `search_text`, LIKE with escaped wildcards). */
  searchText?: string;
  limit: number;
  desc: boolean;
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/**
 * A client's users ordered by user name or display name with keyset bounds (OA `query_users_ordered_by_username`,
 * `_by_display_name`). Deleted users keep their row and are listed, as in the original.
 */
export async function listClientUsers(db: DbOrTx, query: UserListQuery): Promise<UserRow[]> {
  const key = query.sortKey === "username" ? users.username : users.name;
  const bound = (keyset: UserKeyset, op: ">" | "<") =>
    keyset.id
      ? sql`(${key}, ${users.id}) ${sql.raw(op)} (${keyset.key}, ${keyset.id}::uuid)`
      : sql`${key} ${sql.raw(op)}= ${keyset.key}`;
  const rows = await db
    .select()
    .from(users)
    .where(
      and(
        query.apiClientId ? eq(users.apiClientId, query.apiClientId) : undefined,
        query.authMethod ? eq(users.authMethod, query.authMethod) : undefined,
        query.searchText ? sql`${key} like ${`%${escapeLike(query.searchText)}%`}` : undefined,
        query.from ? bound(query.from, ">") : undefined,
        query.to ? bound(query.to, "<") : undefined,
        isNotNull(key),
      ),
    )
    .orderBy(...(query.desc ? [desc(key), desc(users.id)] : [asc(key), asc(users.id)]))
    .limit(query.limit);
  return rows;
}
