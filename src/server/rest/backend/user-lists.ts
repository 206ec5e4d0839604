import { z } from "zod";
import { softDeleteUserMessages } from "@/server/domain/moderation/soft-delete";
import { findClientUser, listClientUsers, type UserKeyset, type UserSortKey } from "@/server/domain/users/client-users";
import type { UserRow } from "@/server/domain/users/dto";
import { AppError } from "@/server/errors";
import { json } from "../http";
import { ZQueryBool } from "../query-params";
import { Raw, route, type RestContext, type RestRoute } from "../route";
import { clientViewer, ZMessageJson } from "./message-json";
import { listMessagesJson, messagePageJson, ZMessageCursorQuery, ZMessageListQuery, ZMessagePageJson } from "./message-pages";
import { pageOf, toUserJson, ZFrontEndUserJson } from "./user-json";
import { visibleUser } from "./users";

/**
 * The original's user lists (OA `users.py` `by_username`, `by_display_name`, `cursor`; `frontend_users.py`), the
 * per-user message pages and the trusted bulk delete of a user's messages.
 */

const ZMaxCount = z.coerce.number().int().min(1).max(10_000).default(100);
const ZUserParams = z.object({ user_id: z.uuid("Not a user id.") });
const ZIdentityParams = z.object({ auth_method: z.string().min(1).max(32), username: z.string().min(1).max(128) });
const ZFrontEndUserPage = pageOf(ZFrontEndUserJson, "FrontEndUserPage");

const listQuery = (key: "username" | "display_name") =>
  z.object({
    api_client_id: z.uuid().optional(),
    [`gte_${key}`]: z.string().max(256).optional(),
    gt_id: z.uuid().optional(),
    [`lte_${key}`]: z.string().max(256).optional(),
    lt_id: z.uuid().optional(),
    search_text: z.string().max(256).optional(),
    auth_method: z.string().min(1).max(32).optional(),
    max_count: ZMaxCount,
    desc: ZQueryBool.default(false),
  });
type ListQuery = { api_client_id?: string; gt_id?: string; lt_id?: string; search_text?: string; auth_method?: string; max_count: number; desc: boolean } & Record<string, unknown>;

/** Untrusted keys list their own users only; another `api_client_id` is a 403 (OA `UserRepository`). */
function scopedClientId(ctx: RestContext<"key">, requested: string | undefined): string | null {
  if (ctx.apiClient.trusted) return requested ?? null;
  if (requested && requested !== ctx.apiClient.id) throw new AppError("FORBIDDEN", "This key may only list its own users.");
  return ctx.apiClient.id;
}

function keyset(key: unknown, id: string | undefined, name: string): UserKeyset | null {
  if (typeof key === "string") return { key, id: id ?? null };
  if (id) throw new AppError("INVALID_CURSOR_VALUE", `Keyset paging needs ${name} with the id.`);
  return null;
}

async function listUsers(ctx: RestContext<"key">, sortKey: UserSortKey, q: ListQuery): Promise<UserRow[]> {
  return listClientUsers(ctx.db, {
    apiClientId: scopedClientId(ctx, q.api_client_id),
    sortKey,
    from: keyset(q[`gte_${sortKey}`], q.gt_id, `gte_${sortKey}`),
    to: keyset(q[`lte_${sortKey}`], q.lt_id, `lte_${sortKey}`),
    authMethod: q.auth_method,
    searchText: q.search_text,
    limit: q.max_count,
    desc: q.desc,
  });
}

const UUID_PREFIX = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\$(.*)$/i;
const splitCursor = (value: string | undefined): UserKeyset | null => {
  if (value === undefined) return null;
  const match = UUID_PREFIX.exec(value);
  return match ? { id: match[1]!, key: match[2]! } : { id: null, key: value };
};

const userListRoute = (path: string, key: UserSortKey, summary: string, deprecated = false) =>
  route({
    method: "GET", path, tag: path.startsWith("/frontend_users") ? "frontend_users" : "users", summary,
    ...(deprecated && { description: "Deprecated in the original; use /users/by_username or /users/cursor." }),
    auth: "key", query: listQuery(key), response: { status: 200, schema: z.array(ZFrontEndUserJson) }, errors: [2, 101],
    async handle(ctx, { query }) {
      return (await listUsers(ctx, key, query as ListQuery)).map(toUserJson);
    },
  });

const byIdentity = (ctx: RestContext<"key">, p: z.infer<typeof ZIdentityParams>) => findClientUser(ctx.db, ctx.apiClient.id, p.auth_method, p.username);

export const userListRoutes: RestRoute[] = [
  userListRoute("/users/by_username", "username", "Users ordered by your id of them (user name), with keyset bounds"),
  userListRoute("/users/by_display_name", "display_name", "Users ordered by display name, with keyset bounds"),
  userListRoute("/frontend_users/", "username", "Users ordered by user name (deprecated)", true),
  route({
    method: "GET", path: "/users/cursor", tag: "users", summary: "A page of users by user name or display name, with before/after cursors",
    description: "Cursors are `<user id>$<key>`. sort_key is username or display_name (100 otherwise).",
    auth: "key",
    query: z.object({
      before: z.string().max(300).optional(), after: z.string().max(300).optional(), sort_key: z.string().max(32).default("username"),
      max_count: ZMaxCount, api_client_id: z.uuid().optional(), search_text: z.string().max(256).optional(), auth_method: z.string().min(1).max(32).optional(),
    }),
    response: { status: 200, schema: ZFrontEndUserPage }, errors: [2, 100],
    async handle(ctx, { query }) {
      if (query.sort_key !== "username" && query.sort_key !== "display_name") {
        throw new AppError("SORT_KEY_UNSUPPORTED", `Unsupported sort key: '${query.sort_key}'.`);
      }
      const sortKey: UserSortKey = query.sort_key;
      const before = splitCursor(query.before);
      const after = splitCursor(query.after);
      const both = before !== null && after !== null;
      // Going back from `before` alone reads downwards from it (the nearest first), then shows the page ascending.
      const reversed = before !== null && after === null;
      const rows = await listClientUsers(ctx.db, {
        apiClientId: scopedClientId(ctx, query.api_client_id), sortKey, from: after, to: before, authMethod: query.auth_method,
        searchText: query.search_text, limit: both ? query.max_count : query.max_count + 1, desc: reversed,
      });
      const more = !both && rows.length > query.max_count;
      const items = rows.slice(0, query.max_count);
      if (reversed) items.reverse();
      const cursorOf = (user: UserRow) => `${user.id}$${(sortKey === "username" ? user.username : user.name) ?? ""}`;
      const first = items[0];
      const last = items.at(-1);
      return {
        prev: first ? ((more && before) || after ? cursorOf(first) : null) : (query.after ?? null),
        next: last ? (more || before ? cursorOf(last) : null) : (query.before ?? null),
        sort_key: sortKey,
        order: "asc" as const,
        items: items.map(toUserJson),
      };
    },
  }),
  route({
    method: "GET", path: "/users/{user_id}/messages/cursor", tag: "users", summary: "A page of a user's messages, with before/after cursors",
    auth: "key", params: ZUserParams, query: ZMessageCursorQuery, response: { status: 200, schema: ZMessagePageJson }, errors: [2, 101, 4002],
    async handle(ctx, { params, query }) {
      return messagePageJson(ctx, { userId: (await visibleUser(ctx, params.user_id)).id }, query);
    },
  }),
  route({
    method: "GET", path: "/frontend_users/{auth_method}/{username}/messages/cursor", tag: "frontend_users", summary: "A page of a user's messages, with before/after cursors",
    auth: "key", params: ZIdentityParams, query: ZMessageCursorQuery, response: { status: 200, schema: ZMessagePageJson }, errors: [2, 101, 4002],
    async handle(ctx, { params, query }) {
      return messagePageJson(ctx, { userId: (await byIdentity(ctx, params)).id }, query);
    },
  }),
  route({
    method: "GET", path: "/users/{user_id}/messages", tag: "users", summary: "A user's messages by creation date, with filters",
    auth: "key", params: ZUserParams, query: ZMessageListQuery, response: { status: 200, schema: z.array(ZMessageJson) }, errors: [2, 4002],
    async handle(ctx, { params, query }) {
      return listMessagesJson(ctx, { userId: (await visibleUser(ctx, params.user_id)).id }, query);
    },
  }),
  route({
    method: "GET", path: "/frontend_users/{auth_method}/{username}/messages", tag: "frontend_users", summary: "A user's messages by creation date, with filters",
    auth: "key", params: ZIdentityParams, query: ZMessageListQuery, response: { status: 200, schema: z.array(ZMessageJson) }, errors: [2, 4002],
    async handle(ctx, { params, query }) {
      return listMessagesJson(ctx, { userId: (await byIdentity(ctx, params)).id }, query);
    },
  }),
  route({
    method: "DELETE", path: "/users/{user_id}/messages", tag: "users", summary: "Delete (soft) all of a user's messages (trusted clients)",
    auth: "trusted", params: ZUserParams, response: { status: 204 }, errors: [2, 4002],
    async handle(ctx, { params }) {
      const user = await visibleUser(ctx, params.user_id);
      await softDeleteUserMessages(ctx.db, (await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers)).userId, user.id, ctx.treeDeps);
      return new Raw(json(null, 204));
    },
  }),
  route({
    method: "DELETE", path: "/frontend_users/{auth_method}/{username}/messages", tag: "frontend_users", summary: "Delete (soft) all of a user's messages (trusted clients)",
    auth: "trusted", params: ZIdentityParams, response: { status: 204 }, errors: [2, 4002],
    async handle(ctx, { params }) {
      const user = await byIdentity(ctx, params);
      await softDeleteUserMessages(ctx.db, (await clientViewer(ctx.db, ctx.apiClient, ctx.request.headers)).userId, user.id, ctx.treeDeps);
      return new Raw(json(null, 204));
    },
  }),
];
